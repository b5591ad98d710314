import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { smallFormLimits } from '../common/multipart-limits.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsRegistryModule } from '../common/metrics-registry.module.js';
import { QueueName } from '../common/queue.constants.js';
import { RedisModule } from '../common/redis/redis.module.js';
import { MailModule } from '../mail/mail.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { BotCheck } from './bot-check/bot-check.js';
import { BotCheckController } from './bot-check/bot-check.controller.js';
import { UsedChallenges } from './bot-check/used-challenges.js';
import { ConfirmationController } from './confirmation.controller.js';
import { ConfirmationService } from './confirmation.service.js';
import { LinkTokens } from './link-tokens.js';
import { SubscriberViewsRepository } from './subscriber-views.repository.js';
import { EmailChangeController } from './email-change.controller.js';
import { EmailChangeMailer } from './email-change-mailer.js';
import { EmailChangeService } from './email-change.service.js';
import { TransactionalMailHandlers } from './transactional-mail-handlers.js';
import { TransactionalMailSender } from './transactional-mail-sender.js';
import { TransactionalMailWorker } from './transactional-mail.worker.js';
import { AddressHasher } from './address-hasher.js';
import { ConfirmationMailer } from './confirmation-mailer.js';
import { ConfirmationMailQuota } from './confirmation-mail-quota.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import { PendingPurgeScheduler } from './pending-purge.scheduler.js';
import { ManageService } from './manage.service.js';
import { SubscriberErasureService } from './subscriber-erasure.service.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionController } from './subscription.controller.js';
import { SubscriptionRateLimiter } from './subscription-rate-limiter.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { UnsubscribeService } from './unsubscribe.service.js';

const REPOSITORIES = [
  SubscribersRepository,
  SubscriberViewsRepository,
  ConsentEventsRepository,
  ConfirmationTokensRepository,
  SuppressionsRepository,
];

/** The form, double opt-in and unsubscribing; owns the subscribers, consent, token and suppression tables. */
@Module({
  imports: [
    BullModule.registerQueue({ name: QueueName.TransactionalMail }),
    // The one-click POST's multipart parsing (NoFilesInterceptor) takes these limits.
    MulterModule.registerAsync({ useFactory: smallFormLimits, inject: [AppConfig] }),
    RedisModule,
    MetricsRegistryModule,
    MailModule,
    RenderingModule,
  ],
  controllers: [
    SubscriptionController,
    BotCheckController,
    ConfirmationController,
    EmailChangeController,
    UnsubscribeController,
  ],
  providers: [
    ...REPOSITORIES,
    SubscriptionsService,
    ConfirmationService,
    UnsubscribeService,
    SubscriptionRateLimiter,
    BotCheck,
    UsedChallenges,
    ConfirmationMailQuota,
    AddressHasher,
    LinkTokens,
    ConfirmationMailer,
    TransactionalMailHandlers,
    TransactionalMailSender,
    TransactionalMailWorker,
    EmailChangeService,
    EmailChangeMailer,
    PendingPurgeScheduler,
    SubscriberErasureService,
    ManageService,
  ],
  exports: [
    ...REPOSITORIES,
    LinkTokens,
    SubscriptionsService,
    UnsubscribeService,
    ConfirmationMailQuota,
    SubscriberErasureService,
    ManageService,
    // For the welcome mail, which sits above this layer: its handler registers here and sends like the others.
    TransactionalMailHandlers,
    TransactionalMailSender,
  ],
})
export class SubscribersModule {}
