import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { TransactionalMailJob } from '../common/queue.constants.js';
import { AppConfig } from '../config/app-config.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import type { ConfirmationMailJobData, TransactionalMailHandler } from './transactional-mail.job.js';
import { TransactionalMailHandlers } from './transactional-mail-handlers.js';
import { TransactionalMailSender } from './transactional-mail-sender.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriberStatus } from './subscriber-status.js';
import { LinkTokens } from './link-tokens.js';
import { unsubscribeHeaders, unsubscribeUrls } from './unsubscribe-links.js';

/** Renders and sends one confirmation mail. Kept apart from the queue so it can be called directly. */
@Injectable()
export class ConfirmationMailer implements TransactionalMailHandler<ConfirmationMailJobData>, OnModuleInit {
  private readonly logger = new Logger(ConfirmationMailer.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly sender: TransactionalMailSender,
    private readonly handlers: TransactionalMailHandlers,
    private readonly config: AppConfig,
    private readonly links: LinkTokens,
  ) {}

  onModuleInit(): void {
    this.handlers.register(TransactionalMailJob.Confirmation, this);
  }

  /** Returns false when there is nothing to send any more (confirmed, left, or already mailed). */
  async send(job: ConfirmationMailJobData): Promise<boolean> {
    const subscriber = await this.subscribers.findById(job.subscriberId);
    const token = await this.tokens.findById(job.tokenId);
    if (!subscriber || !token || subscriber.status !== SubscriberStatus.Pending || token.mailedAt || token.usedAt) {
      this.logger.log(`confirmation ${job.tokenId}: nothing to send`);
      return false;
    }
    const links = unsubscribeUrls(this.config, this.subscribers.linkToken(subscriber));
    const confirmToken = job.token ?? this.links.confirmationToken(job.tokenId);
    await this.sender.send({
      kind: 'confirmation',
      label: `confirmation ${job.tokenId}`,
      template: 'confirmation',
      context: {
        subject: 'Please confirm your subscription',
        preheader: `One click to start receiving the ${this.config.company.shortName} weekly digest.`,
        company: this.config.company,
        confirmUrl: this.config.url(`/confirm/${confirmToken}`),
        ttlHours: this.config.subscriptions.confirmTokenTtlHours,
        unsubscribeUrl: links.page,
        manageUrl: links.manage,
        reason: `You receive this mail because this address was entered in the subscribe form of ${this.config.company.name}.`,
      },
      to: subscriber.email,
      subject: `Please confirm your subscription to the ${this.config.company.shortName} weekly digest`,
      headers: unsubscribeHeaders(links),
    });
    await this.tokens.markMailed(token.id);
    return true;
  }
}
