import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
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
  ) {}

  onModuleInit(): void {
    const job = CronJob.from({
      cronTime: this.config.feeds.pollCron,
      onTick: () => this.poll(),
      waitForCompletion: true,
      start: false,
    });
    this.registry.addCronJob(JOB_NAME, job);
    job.start();
  }

  onModuleDestroy(): void {
    if (this.registry.doesExist('cron', JOB_NAME)) this.registry.deleteCronJob(JOB_NAME);
  }

  async poll(): Promise<void> {
    try {
      const results = await this.poller.pollAll();
      const failed = results.filter((result) => result.outcome === 'failed');
      if (failed.length) this.logger.warn(`${failed.length} of ${results.length} feeds failed: ${failed.map((result) => `${result.url} (${result.error})`).join('; ')}`);
    } catch (error) {
      this.logger.error(`feed poll failed: ${(error as Error)?.stack ?? String(error)}`);
    }
  }
}
