import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';

/**
 * Forgets addresses that never confirmed: we have no consent to keep them. Safe to run on every
 * instance at once, since the DELETE is idempotent.
 */
@Injectable()
export class PendingPurgeScheduler {
  private readonly logger = new Logger(PendingPurgeScheduler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_DAY_AT_3AM, { name: 'purge-pending-subscribers' })
  async purge(): Promise<number> {
    const days = this.config.subscriptions.pendingPurgeDays;
    // Never confirmed: delete (consent events and tokens go with them). Confirmed once and
    // re-subscribing: keep the history, but fall back to unsubscribed.
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM subscribers WHERE status = 'pending' AND confirmed_at IS NULL AND updated_at < now() - make_interval(days => $1)`,
      [days],
    );
    await this.dataSource.query(
      `UPDATE subscribers SET status = 'unsubscribed', updated_at = now() WHERE status = 'pending' AND confirmed_at IS NOT NULL AND updated_at < now() - make_interval(days => $1)`,
      [days],
    );
    if (deleted) this.logger.log(`purged ${deleted} never-confirmed subscriptions older than ${days} days`);
    return Number(deleted ?? 0);
  }
}
