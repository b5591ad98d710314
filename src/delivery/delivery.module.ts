import { BullModule, Processor } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { FeatureModuleOptions } from '../common/feature-module-options.js';
import { QueueName } from '../common/queue.constants.js';
import type { AppConfig } from '../config/app-config.js';
import { DeliveriesAdminController } from './deliveries-admin.controller.js';
import { DeliveryControlService } from './delivery-control.service.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DeliveryReconciler } from './delivery-reconciler.js';
import { DigestCompletion } from './digest-completion.js';
import { DigestReleaseListenerForDelivery } from './digest-release.listener.js';
import { DigestSender } from './digest-sender.js';
import { DigestTestController } from './digest-test.controller.js';
import { DigestTestSender } from './digest-test-sender.js';
import { FanOutProcessor } from './fan-out.processor.js';
import { FanOutService } from './fan-out.service.js';
import { DigestMessageBuilder } from './mailer/digest-message-builder.js';
import { DigestMessageCache } from './mailer/digest-message-cache.js';
import { SendDigestProcessor } from './send-digest.processor.js';

/**
 * Fan-out, sending, reconciling and operator control of digest deliveries. The send queue keeps
 * no finished jobs: PostgreSQL holds every outcome, and a removed job id can be enqueued again
 * (after a pause, a retry, or a Redis that lost its data).
 */
@Module({})
export class DeliveryModule {
  /** `digests` is the app's DigestsModule instance, whose release hooks start a fan-out. */
  static register(config: AppConfig, options: FeatureModuleOptions, digests: DynamicModule): DynamicModule {
    const delivery = config.delivery;
    // Decorated here, on a subclass, because the worker options come from configuration.
    @Processor(QueueName.Delivery, {
      concurrency: delivery.concurrency,
      limiter: { max: delivery.ratePerSecond, duration: 1000 },
      lockDuration: delivery.lockMs,
      stalledInterval: delivery.lockMs,
      maxStalledCount: 5,
    })
    class ConfiguredSendDigestProcessor extends SendDigestProcessor {}

    return {
      module: DeliveryModule,
      imports: [
        digests,
        BullModule.registerQueue({ name: QueueName.FanOut }),
        BullModule.registerQueue({
          name: QueueName.Delivery,
          defaultJobOptions: {
            attempts: delivery.maxAttempts,
            backoff: { type: 'exponential', delay: delivery.backoffMs },
            removeOnComplete: true,
            removeOnFail: true,
          },
        }),
      ],
      controllers: [DeliveriesAdminController, DigestTestController],
      providers: [
        DeliveryEnqueuer,
        FanOutService,
        DigestCompletion,
        DeliveryControlService,
        DigestMessageBuilder,
        DigestMessageCache,
        DigestSender,
        DigestTestSender,
        DigestReleaseListenerForDelivery,
        ...(options.workers ? [ConfiguredSendDigestProcessor, FanOutProcessor] : []),
        ...(options.schedulers ? [DeliveryReconciler] : []),
      ],
      exports: [FanOutService, DeliveryControlService, DeliveryEnqueuer, DigestCompletion],
    };
  }
}
