import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountModule } from './account/account.module.js';
import { AdminModule } from './admin/admin.module.js';
import { ConsoleModule } from './console/console.module.js';
import { DEFAULT_JOB_OPTIONS } from './common/queue.constants.js';
import { REQUEST_BOUNDS } from './common/redis/redis-options.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import type { ProcessRole } from './config/process-role.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { DeliverabilityModule } from './deliverability/deliverability.module.js';
import { InboundModule } from './deliverability/inbound/inbound.module.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { DigestsModule } from './digests/digests.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OperatorsModule } from './operators/operators.module.js';
import { PostsModule } from './posts/posts.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { SubscribersModule } from './subscribers/subscribers.module.js';

/**
 * The whole service. The web entry and the worker entry build it from the same validated
 * configuration and differ only in their `ProcessRole`, which workers and crons read to decide
 * whether to start; the feature modules are static and the same in every process.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, role),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.database.url), retryAttempts: 3, retryDelay: 1000 }),
        // The queues' producer connection, used while answering requests (subscribe, approve,
        // resume, /metrics, /admin/queues): bounded, so an outage fails them fast. Workers open
        // their own blocking connections (QueueWorker), which wait out an outage.
        BullModule.forRoot({
          connection: { url: config.redis.url, ...REQUEST_BOUNDS },
          prefix: config.redis.prefix,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
        ScheduleModule.forRoot(),
        OperatorsModule,
        HealthModule,
        SubscribersModule,
        PostsModule,
        DigestsModule,
        DeliveryModule,
        DeliverabilityModule,
        InboundModule,
        AdminModule,
        ConsoleModule,
        AccountModule,
        QueuesModule,
        MetricsModule,
      ],
    };
  }
}
