import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MetricsRegistryModule } from '../../common/metrics-registry.module.js';
import { QueueName } from '../../common/queue.constants.js';
import { SubscribersModule } from '../../subscribers/subscribers.module.js';
import { DeliverabilityModule } from '../deliverability.module.js';
import { ImapMailbox } from './imap-mailbox.js';
import { ImapPollScheduler } from './imap-poll.scheduler.js';
import { ImapPollWorker } from './imap-poll.worker.js';
import { InboundMailService } from './inbound-mail.service.js';
import { InboundSmtpListener } from './inbound-smtp.listener.js';

/**
 * Mail that comes back by mail (DSN bounces, ARF complaints, List-Unsubscribe mailto), on the
 * SMTP listener or from an IMAP mailbox, turned into the same provider events as the webhooks'.
 */
@Module({
  imports: [
    DeliverabilityModule,
    SubscribersModule,
    MetricsRegistryModule,
    BullModule.registerQueue({ name: QueueName.Inbound }),
  ],
  providers: [InboundMailService, InboundSmtpListener, ImapMailbox, ImapPollWorker, ImapPollScheduler],
})
export class InboundModule {}
