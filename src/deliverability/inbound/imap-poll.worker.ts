import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName } from '../../common/queue.constants.js';
import { QueueWorker } from '../../common/queue-worker.js';
import { AppConfig } from '../../config/app-config.js';
import { ProcessRole } from '../../config/process-role.js';
import { ImapMailbox } from './imap-mailbox.js';

/** Thin: one IMAP poll per job (ImapPollScheduler makes the jobs). A failed poll is not retried: the next comes soon. */
@Injectable()
export class ImapPollWorker extends QueueWorker<Record<string, never>> {
  constructor(
    private readonly mailbox: ImapMailbox,
    config: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.Inbound, role, config);
  }

  async process(job: Job): Promise<void> {
    const started = performance.now();
    const { processed, left } = await this.mailbox.poll();
    if (processed || left)
      this.logger.log(
        `job ${job.id}: ${processed} applied and deleted, ${left} left for a person, in ${(performance.now() - started).toFixed(0)} ms`,
      );
  }
}
