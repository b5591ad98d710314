import { Injectable } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { QueueName } from '../common/queue.constants.js';
import { QueueWorker } from '../common/queue-worker.js';
import { AppConfig } from '../config/app-config.js';
import { BatchSender } from './batch-sender.js';
import { type BatchJobData, type DeliveryJobData, isBatch, RETRY_PRIORITY, type SendJobData } from './delivery-job.js';
import { DigestSender, TemporarySendError } from './digest-sender.js';
import { DomainPacer } from './domain-pacer.js';
import { afterReservation, paceStep } from './domain-pacing.js';
import { SendSlots } from './send-slots.js';

/**
 * Thin: hands each batch job to BatchSender and each single-delivery job to DigestSender. How many
 * messages are in flight, and how fast, is SendSlots' business; BullMQ's concurrency only bounds
 * the jobs held at once, twice the sends so that a retry finds a place among the batches.
 */
@Injectable()
export class SendDigestWorker extends QueueWorker<SendJobData> {
  constructor(
    private readonly sender: DigestSender,
    private readonly batches: BatchSender,
    private readonly slots: SendSlots,
    private readonly pacer: DomainPacer,
    private readonly appConfig: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.Delivery, role, appConfig);
  }

  protected override options() {
    const delivery = this.appConfig.delivery;
    return {
      concurrency: delivery.concurrency * 2,
      lockDuration: delivery.lockMs,
      stalledInterval: delivery.lockMs,
      maxStalledCount: 5,
    };
  }

  override async onModuleDestroy(): Promise<void> {
    this.batches.close();
    await super.onModuleDestroy();
  }

  async process(job: Job<SendJobData>, token?: string): Promise<void> {
    const started = performance.now();
    if (isBatch(job.data)) return this.processBatch(job as Job<BatchJobData>, token, started);
    return this.processOne(job as Job<DeliveryJobData>, token, started);
  }

  private async processBatch(job: Job<BatchJobData>, token: string | undefined, started: number): Promise<void> {
    const result = await this.batches.run(job.data);
    this.logger.debug(
      `job ${job.id} attempt ${job.attemptsMade + 1}: ${JSON.stringify(result)} in ${(performance.now() - started).toFixed(1)} ms`,
    );
    if (result.stopped !== 'closing' && result.stopped !== 'resumed') return;
    // Back to the queue as it is, without spending an attempt: a worker takes up the rest.
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }

  private async processOne(job: Job<DeliveryJobData>, token: string | undefined, started: number): Promise<void> {
    if (!(await this.paced(job, token))) throw new DelayedError();
    const made = (job.data.before ?? 0) + job.attemptsMade;
    const finalAttempt = made + 1 >= this.appConfig.delivery.maxAttempts;
    // BullMQ's exponential backoff: delay × 2^(attempts made before this one).
    const retryInMs = this.appConfig.delivery.backoffMs * 2 ** made;
    let outcome;
    try {
      outcome = await this.slots.run(
        true,
        () => true,
        () => this.sender.send(job.data.deliveryId, finalAttempt, retryInMs),
      );
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
