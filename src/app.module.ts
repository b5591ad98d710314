import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FeatureModuleOptions } from './common/feature-module-options.js';
import { DEFAULT_JOB_OPTIONS } from './common/queue.constants.js';
import { RedisModule } from './common/redis/redis.module.js';
import { AdminSubscribersModule } from './admin/subscribers/admin-subscribers.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { DeliveryModule } from './delivery/delivery.module.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { RenderingModule } from './rendering/rendering.module.js';
import { DigestsModule } from './digests/digests.module.js';
import { PostsModule } from './posts/posts.module.js';
import { SubscribersModule } from './subscribers/subscribers.module.js';

/**
 * The whole service. The web entry and the worker entry build it from the same validated
 * configuration and differ only in `options`: which processes run queue workers and crons.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, options: FeatureModuleOptions): DynamicModule {
    // One PostsModule instance, shared with DigestsModule (Nest tells dynamic modules apart by reference).
    const posts = PostsModule.register(options);
    const subscribers = SubscribersModule.register(options);
    const digests = DigestsModule.register(options, posts);
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.database.url), retryAttempts: 3, retryDelay: 1000 }),
        BullModule.forRoot({ connection: { url: config.redis.url, maxRetriesPerRequest: null }, prefix: config.redis.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
        ...(options.schedulers ? [ScheduleModule.forRoot()] : []),
        RedisModule,
        MailModule,
        RenderingModule,
        HealthModule,
        subscribers,
        AdminSubscribersModule.register(subscribers),
        QueuesModule,
        MetricsModule,
        posts,
        digests,
        DeliveryModule.register(config, options, digests),
      ],
    };
  }
}
