import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { ProcessRole } from '../config/process-role.js';
import { scheduleCron, unscheduleCron } from '../common/role-cron.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Forgets addresses that never confirmed: we have no consent to keep them. Safe to run on every
 * instance at once, since the DELETE is idempotent.
 */
const JOB_NAME = 'purge-pending-subscribers';

@Injectable()
export class PendingPurgeScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PendingPurgeScheduler.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly config: AppConfig,
    private readonly role: ProcessRole,
    private readonly registry: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    scheduleCron(this.registry, this.role, JOB_NAME, {
      cronTime: CronExpression.EVERY_DAY_AT_3AM,
      onTick: () =>
        this.purge().then(
          () => undefined,
          (error: unknown) => this.logger.error(`purge failed: ${(error as Error).message}`),
        ),
    });
  }

  onModuleDestroy(): void {
    unscheduleCron(this.registry, JOB_NAME);
  }

  async purge(): Promise<number> {
    const days = this.config.subscriptions.pendingPurgeDays;
    const deleted = await this.subscribers.purgePending(days);
    if (deleted) this.logger.log(`purged ${deleted} never-confirmed subscriptions older than ${days} days`);
    return deleted;
  }
}
