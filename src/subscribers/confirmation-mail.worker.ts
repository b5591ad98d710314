import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { QueueName } from '../common/queue.constants.js';
import { QueueWorker } from '../common/queue-worker.js';
import { AppConfig } from '../config/app-config.js';
import type { ConfirmationMailJobData } from './confirmation-mail.job.js';
import { ConfirmationMailer } from './confirmation-mailer.js';

/** Thin: hands each confirmation job to ConfirmationMailer. */
@Injectable()
export class ConfirmationMailWorker extends QueueWorker<ConfirmationMailJobData> {
  constructor(
    private readonly mailer: ConfirmationMailer,
    config: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.TransactionalMail, role, config);
  }

  protected override options() {
    return { concurrency: 4 };
  }

  async process(job: Job<ConfirmationMailJobData>): Promise<void> {
    const started = Date.now();
    const sent = await this.mailer.send(job.data);
    this.logger.log(
      `job ${job.id} attempt ${job.attemptsMade + 1}: ${sent ? 'sent' : 'skipped'} in ${Date.now() - started} ms`,
    );
  }
}
