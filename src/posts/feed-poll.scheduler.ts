import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ProcessRole } from '../config/process-role.js';
import { scheduleCron, unscheduleCron } from '../common/role-cron.js';
import { AppConfig } from '../config/app-config.js';
import { FeedPoller } from './feed-poller.js';

const JOB_NAME = 'poll-feeds';

/**
 * Polls the feeds on FEED_POLL_CRON (hourly by default). Registered by hand rather than with
 * `@Cron` because the expression comes from the configuration. Running on several instances at
 * once is harmless: the poll is an idempotent upsert.
 */
@Injectable()
export class FeedPollScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(FeedPollScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly poller: FeedPoller,
    private readonly config: AppConfig,
    private readonly role: ProcessRole,
  ) {}

  onModuleInit(): void {
    scheduleCron(this.registry, this.role, JOB_NAME, {
      cronTime: this.config.feeds.pollCron,
      onTick: () => this.poll(),
    });
  }

  onModuleDestroy(): void {
    unscheduleCron(this.registry, JOB_NAME);
  }

  async poll(): Promise<void> {
    try {
      const results = await this.poller.pollAll();
      const failed = results.filter((result) => result.outcome === 'failed');
      if (failed.length)
        this.logger.warn(
          `${failed.length} of ${results.length} feeds failed: ${failed.map((result) => `${result.url} (${result.error})`).join('; ')}`,
        );
    } catch (error) {
      this.logger.error(`feed poll failed: ${(error as Error)?.stack ?? String(error)}`);
    }
  }
}
