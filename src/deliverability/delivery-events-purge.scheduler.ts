import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { scheduleCron } from '../common/role-cron.js';
import { AppConfig } from '../config/app-config.js';
import { ProcessRole } from '../config/process-role.js';
import { DeliveryEventsRepository } from './delivery-events.repository.js';

/** Raw provider events hold addresses: they are kept EVENT_RETENTION_DAYS (30 by default), then deleted. */
@Injectable()
export class DeliveryEventsPurgeScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeliveryEventsPurgeScheduler.name);

  constructor(
    private readonly events: DeliveryEventsRepository,
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly role: ProcessRole,
  ) {}

  onApplicationBootstrap(): void {
    scheduleCron(this.registry, this.role, 'delivery-events-purge', {
      cronTime: '17 3 * * *',
      // A DELETE by date: two instances firing together delete the same rows once.
      onTick: async () => {
        const deleted = await this.events.purge(this.config.deliverability.eventRetentionDays);
        if (deleted) this.logger.log(`purged ${deleted} provider events`);
      },
    });
  }
}
