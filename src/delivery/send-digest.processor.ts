import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { DeliveryJobData } from './delivery-job.js';
import { DigestSender } from './digest-sender.js';

/**
 * Thin: hands each job to DigestSender. Its `@Processor` options (concurrency, global rate,
 * lock) come from configuration, so DeliveryModule applies the decorator when it is registered.
 */
@Injectable() // emits the constructor's parameter types, which the configured subclass inherits
export class SendDigestProcessor extends WorkerHost {
  private readonly logger = new Logger(SendDigestProcessor.name);

  constructor(private readonly sender: DigestSender) {
    super();
  }

  async process(job: Job<DeliveryJobData>): Promise<void> {
    const started = performance.now();
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.sender.send(job.data.deliveryId, finalAttempt);
    this.logger.debug(`job ${job.id} attempt ${job.attemptsMade + 1}: ${outcome} in ${(performance.now() - started).toFixed(1)} ms`);
  }

  /** Without a listener an 'error' event would throw; a job Redis forgot (its data lost) lands here. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<DeliveryJobData> | undefined, error: Error): void {
    this.logger.warn(`job ${job?.id} attempt ${job?.attemptsMade}: ${error.message}`);
  }
}
