import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MetricsRegistryModule } from '../common/metrics-registry.module.js';
import { QueueName } from '../common/queue.constants.js';
import { RedisModule } from '../common/redis/redis.module.js';
import { AppConfig } from '../config/app-config.js';
import { DigestsModule } from '../digests/digests.module.js';
import { MailModule } from '../mail/mail.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { AutoPause } from './auto-pause.js';
import { BatchSender } from './batch-sender.js';
import { SubscriberDataExportService } from './subscriber-data-export.service.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryViewsRepository } from './delivery-views.repository.js';
import { DeliveryControlService } from './delivery-control.service.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DeliveryReconciler } from './delivery-reconciler.js';
import { DigestCompletion } from './digest-completion.js';
import { DigestReleaseListenerForDelivery } from './digest-release.listener.js';
import { DigestSender } from './digest-sender.js';
import { DigestTestSender } from './digest-test-sender.js';
import { DomainPacer } from './domain-pacer.js';
import { FanOutService } from './fan-out.service.js';
import { FanOutWorker } from './fan-out.worker.js';
import { DigestMessageBuilder } from './mailer/digest-message-builder.js';
import { DigestMessageCache } from './mailer/digest-message-cache.js';
import { SendDigestWorker } from './send-digest.worker.js';
import { SendSlots } from './send-slots.js';
import { SubscriberErasureListenerForDelivery } from './subscriber-erasure.listener.js';

/**
 * Fan-out, sending, reconciling and operator control of digest deliveries; owns the deliveries
 * table. The send queue keeps no finished jobs: PostgreSQL holds every outcome, and a removed job
 * id can be enqueued again (after a pause, a retry, or a Redis that lost its data).
 */
@Module({
  imports: [
    DigestsModule,
    SubscribersModule,
    MailModule,
    MetricsRegistryModule,
    RedisModule,
    BullModule.registerQueue({ name: QueueName.FanOut }),
    BullModule.registerQueueAsync({
      name: QueueName.Delivery,
      inject: [AppConfig],
      useFactory: ({ delivery }: AppConfig) => ({
        defaultJobOptions: {
          attempts: delivery.maxAttempts,
          backoff: { type: 'exponential', delay: delivery.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      }),
    }),
  ],
  providers: [
    AutoPause,
    DeliveriesRepository,
    DeliveryViewsRepository,
    SubscriberDataExportService,
    DeliveryEnqueuer,
    FanOutService,
    DigestCompletion,
    DeliveryControlService,
    DigestMessageBuilder,
    DigestMessageCache,
    DigestSender,
    DomainPacer,
    SendSlots,
    BatchSender,
    DigestTestSender,
    DigestReleaseListenerForDelivery,
    SubscriberErasureListenerForDelivery,
    SendDigestWorker,
    FanOutWorker,
    DeliveryReconciler,
  ],
  exports: [
    AutoPause,
    DeliveriesRepository,
    DeliveryViewsRepository,
    SubscriberDataExportService,
    DigestTestSender,
    FanOutService,
    DeliveryControlService,
    DeliveryEnqueuer,
    DigestCompletion,
  ],
})
export class DeliveryModule {}
