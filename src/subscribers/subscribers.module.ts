import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { FeatureModuleOptions } from '../common/feature-module-options.js';
import { QueueName } from '../common/queue.constants.js';
import { ConfirmationController } from './confirmation.controller.js';
import { ConfirmationService } from './confirmation.service.js';
import { ConfirmationMailProcessor } from './confirmation-mail.processor.js';
import { ConfirmationMailer } from './confirmation-mailer.js';
import { PendingPurgeScheduler } from './pending-purge.scheduler.js';
import { SubscriptionController } from './subscription.controller.js';
import { SubscriptionRateLimiter } from './subscription-rate-limiter.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { UnsubscribeService } from './unsubscribe.service.js';

@Module({})
export class SubscribersModule {
  static register(options: FeatureModuleOptions): DynamicModule {
    return {
      module: SubscribersModule,
      imports: [BullModule.registerQueue({ name: QueueName.TransactionalMail })],
      controllers: [SubscriptionController, ConfirmationController, UnsubscribeController],
      providers: [
        SubscriptionsService,
        ConfirmationService,
        UnsubscribeService,
        SubscriptionRateLimiter,
        ConfirmationMailer,
        ...(options.workers ? [ConfirmationMailProcessor] : []),
        ...(options.schedulers ? [PendingPurgeScheduler] : []),
      ],
      exports: [SubscriptionsService, UnsubscribeService],
    };
  }
}
