import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { InboundJob, QueueName } from '../../common/queue.constants.js';
import { AppConfig } from '../../config/app-config.js';
import { ProcessRole } from '../../config/process-role.js';

const SCHEDULER_ID = 'imap-poll';

/**
 * Polls INBOUND_IMAP_URL every INBOUND_IMAP_POLL_SECONDS through a BullMQ job scheduler: however
 * many workers run, each poll is one job, taken by one of them. Every worker process upserts the
 * same scheduler at start, and removes it once the mailbox is no longer configured.
 */
@Injectable()
export class ImapPollScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImapPollScheduler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly role: ProcessRole,
    @InjectQueue(QueueName.Inbound) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.role.workers) return;
    const imap = this.config.inbound.imap;
    try {
      if (imap)
        await this.queue.upsertJobScheduler(
          SCHEDULER_ID,
          { every: imap.pollSeconds * 1000 },
          { name: InboundJob.ImapPoll, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
        );
      else await this.queue.removeJobScheduler(SCHEDULER_ID);
    } catch (error) {
      // Redis away at start: the next start schedules it; the workers themselves wait Redis out.
      this.logger.warn(`could not ${imap ? 'schedule' : 'unschedule'} the IMAP poll: ${(error as Error).message}`);
    }
  }
}
