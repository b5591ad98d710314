import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { TransactionalMailJob } from '../common/queue.constants.js';
import { AppConfig } from '../config/app-config.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { LinkTokens } from './link-tokens.js';
import { SubscribersRepository } from './subscribers.repository.js';
import type { EmailChangedMailJobData, EmailChangeMailJobData } from './transactional-mail.job.js';
import { TransactionalMailHandlers } from './transactional-mail-handlers.js';
import { TransactionalMailSender } from './transactional-mail-sender.js';

/**
 * The two mails of a change of address: the link to the new address, and the notice to the old
 * one. Neither carries the subscriber's manage or unsubscribe link: the new mailbox is not yet
 * proven to be theirs, and the old one may no longer be.
 */
@Injectable()
export class EmailChangeMailer implements OnModuleInit {
  private readonly logger = new Logger(EmailChangeMailer.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly sender: TransactionalMailSender,
    private readonly handlers: TransactionalMailHandlers,
    private readonly config: AppConfig,
    private readonly links: LinkTokens,
  ) {}

  onModuleInit(): void {
    this.handlers.register<EmailChangeMailJobData>(TransactionalMailJob.EmailChangeConfirmation, {
      send: (job) => this.sendLink(job),
    });
    this.handlers.register<EmailChangedMailJobData>(TransactionalMailJob.EmailChanged, {
      send: (job) => this.sendNotice(job),
    });
  }

  /** False when the link is no longer worth sending (used, expired, replaced, or the subscriber left). */
  async sendLink(job: EmailChangeMailJobData): Promise<boolean> {
    const token = await this.tokens.findById(job.tokenId);
    const subscriber = await this.subscribers.findById(job.subscriberId);
    if (!subscriber || !token?.newEmail || token.mailedAt || token.usedAt || token.expiresAt.getTime() <= Date.now()) {
      this.logger.log(`email change ${job.tokenId}: nothing to send`);
      return false;
    }
    const { company, subscriptions } = this.config;
    await this.sender.send({
      kind: 'email-change',
      label: `email change ${job.tokenId}`,
      template: 'email-change',
      context: {
        subject: 'Confirm your new address',
        preheader: `One click to receive the ${company.shortName} weekly digest at this address.`,
        company,
        confirmUrl: this.config.url(`/confirm/email/${job.token ?? this.links.confirmationToken(job.tokenId)}`),
        ttlHours: subscriptions.confirmTokenTtlHours,
        reason: `You receive this mail because someone asked to move a subscription to the ${company.shortName} weekly digest to this address.`,
      },
      to: token.newEmail,
      subject: `Confirm your new address for the ${company.shortName} weekly digest`,
    });
    await this.tokens.markMailed(token.id);
    return true;
  }

  async sendNotice(job: EmailChangedMailJobData): Promise<boolean> {
    const subscriber = await this.subscribers.findById(job.subscriberId);
    if (!subscriber) {
      this.logger.log(`email change ${job.tokenId}: subscriber erased, no notice`);
      return false;
    }
    const { company } = this.config;
    await this.sender.send({
      kind: 'email-change',
      label: `email change notice ${job.tokenId}`,
      template: 'email-changed',
      context: {
        subject: 'Your subscription moved to a new address',
        preheader: `The ${company.shortName} weekly digest now goes to ${maskAddress(subscriber.email)}.`,
        company,
        newAddress: maskAddress(subscriber.email),
        reason: `You receive this mail because this address was subscribed to the ${company.shortName} weekly digest until now.`,
      },
      to: job.oldEmail,
      subject: `Your ${company.shortName} weekly digest now goes to another address`,
    });
    return true;
  }
}

/**
 * `jane.doe@example.org` as `j•••@example.org`: enough for the owner to recognise their new address,
 * too little to give it away should the old mailbox now be someone else's.
 */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
