import { Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { QueueName } from '../common/queue.constants.js';
import { QueueWorker } from '../common/queue-worker.js';
import { AppConfig } from '../config/app-config.js';
import type { DeliveryJobData } from './delivery-job.js';
import { DigestSender, TemporarySendError } from './digest-sender.js';
import { RETRY_PRIORITY } from './delivery-job.js';
import { DomainPacer } from './domain-pacer.js';
import { afterReservation, paceStep } from './domain-pacing.js';

/** Thin: hands each send job to DigestSender, with the concurrency, global rate and lock from configuration. */
@Injectable()
export class SendDigestWorker extends QueueWorker<DeliveryJobData> {
  constructor(
    private readonly sender: DigestSender,
    private readonly pacer: DomainPacer,
    private readonly appConfig: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.Delivery, role, appConfig);
  }

  protected override options() {
    const delivery = this.appConfig.delivery;
    return {
      concurrency: delivery.concurrency,
      limiter: { max: delivery.ratePerSecond, duration: 1000 },
      lockDuration: delivery.lockMs,
      stalledInterval: delivery.lockMs,
      maxStalledCount: 5,
    };
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<void> {
    if (!(await this.paced(job, token))) throw new DelayedError();
    const started = performance.now();
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // BullMQ's exponential backoff: delay × 2^(attempts made before this one).
    const retryInMs = this.appConfig.delivery.backoffMs * 2 ** job.attemptsMade;
    let outcome;
    try {
      outcome = await this.sender.send(job.data.deliveryId, finalAttempt, retryInMs);
    } catch (error) {
      // A retry jumps the line: first attempts wait with a priority, a job of priority 0 runs
      // before all of them, so the retry leaves when its backoff ends, not after the whole list.
      if (error instanceof TemporarySendError && job.priority !== RETRY_PRIORITY)
        await job.changePriority({ priority: RETRY_PRIORITY });
      throw error;
    }
    this.logger.debug(
      `job ${job.id} attempt ${job.attemptsMade + 1}: ${outcome} in ${(performance.now() - started).toFixed(1)} ms`,
    );
  }

  /**
   * DOMAIN_RATES: true when the job may send now. Otherwise it has reserved its domain's next
   * slot and is moved to the delayed set until then, at the retry priority, so that once due it
   * goes ahead of the first attempts still waiting and keeps its slot.
   */
  private async paced(job: Job<DeliveryJobData>, token: string | undefined): Promise<boolean> {
    const step = paceStep(job.data, job.attemptsMade, this.pacer.rates);
    if (step.send) return true;
    const wait = afterReservation(job.data, job.attemptsMade, await this.pacer.reserve(step.reserveOn), Date.now());
    if (wait.send) return true;
    await job.updateData(wait.data);
    if (job.priority !== RETRY_PRIORITY) await job.changePriority({ priority: RETRY_PRIORITY });
    await job.moveToDelayed(wait.until, token);
    return false;
  }
}
