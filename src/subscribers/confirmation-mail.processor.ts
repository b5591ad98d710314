import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName } from '../common/queue.constants.js';
import type { ConfirmationMailJobData } from './confirmation-mail.job.js';
import { ConfirmationMailer } from './confirmation-mailer.js';

@Processor(QueueName.TransactionalMail, { concurrency: 4 })
export class ConfirmationMailProcessor extends WorkerHost {
  private readonly logger = new Logger(ConfirmationMailProcessor.name);

  constructor(private readonly mailer: ConfirmationMailer) {
    super();
  }

  async process(job: Job<ConfirmationMailJobData>): Promise<void> {
    const started = Date.now();
    const sent = await this.mailer.send(job.data);
    this.logger.log(`job ${job.id} attempt ${job.attemptsMade + 1}: ${sent ? 'sent' : 'skipped'} in ${Date.now() - started} ms`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`worker error: ${error.message}`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<ConfirmationMailJobData> | undefined, error: Error): void {
    this.logger.warn(`job ${job?.id} attempt ${job?.attemptsMade}: ${error.message}`);
  }
}
