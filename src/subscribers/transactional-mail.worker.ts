import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { QueueName } from '../common/queue.constants.js';
import { QueueWorker } from '../common/queue-worker.js';
import { AppConfig } from '../config/app-config.js';
import { TransactionalMailHandlers } from './transactional-mail-handlers.js';

/** Thin: hands each transactional mail job to the handler of its name. */
@Injectable()
export class TransactionalMailWorker extends QueueWorker<unknown> {
  constructor(
    private readonly handlers: TransactionalMailHandlers,
    config: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.TransactionalMail, role, config);
  }

  protected override options() {
    return { concurrency: 4 };
  }

  async process(job: Job<unknown>): Promise<void> {
    const started = Date.now();
    const sent = await this.handlers.of(job.name).send(job.data);
    this.logger.log(
      `job ${job.id} attempt ${job.attemptsMade + 1}: ${sent ? 'sent' : 'skipped'} in ${Date.now() - started} ms`,
    );
  }
}
