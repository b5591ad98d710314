import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { DeliveryEventsPurgeScheduler } from './delivery-events-purge.scheduler.js';
import { DeliveryEventsRepository } from './delivery-events.repository.js';
import { DeliveryEventsService } from './delivery-events.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { MailgunWebhook } from './webhooks/mailgun.webhook.js';
import { PostmarkWebhook } from './webhooks/postmark.webhook.js';
import { SendGridWebhook } from './webhooks/sendgrid.webhook.js';
import { SesWebhook } from './webhooks/ses.webhook.js';
import { SnsUrlPolicy } from './webhooks/sns-url-policy.js';

/** Provider events coming back (webhooks), matched to deliveries; owns the delivery_events table. */
@Module({
  imports: [DeliveryModule, SubscribersModule],
  controllers: [WebhooksController],
  providers: [
    DeliveryEventsRepository,
    DeliveryEventsService,
    DeliveryEventsPurgeScheduler,
    SnsUrlPolicy,
    SesWebhook,
    PostmarkWebhook,
    MailgunWebhook,
    SendGridWebhook,
  ],
  exports: [DeliveryEventsRepository, DeliveryEventsService],
})
export class DeliverabilityModule {}
