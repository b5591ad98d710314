import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { MailTransport } from '../mail/mail-transport.js';
import { MailMetrics } from '../mail/mail-metrics.js';
import { TemplateEngine } from '../rendering/template-engine.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import type { ConfirmationMailJobData } from './confirmation-mail.job.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriberStatus } from './subscriber-status.js';
import { unsubscribeHeaders, unsubscribeUrls } from './unsubscribe-links.js';

/** Renders and sends one confirmation mail. Kept apart from the queue so it can be called directly. */
@Injectable()
export class ConfirmationMailer {
  private readonly logger = new Logger(ConfirmationMailer.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly engine: TemplateEngine,
    private readonly transport: MailTransport,
    private readonly metrics: MailMetrics,
    private readonly config: AppConfig,
  ) {}

  /** Returns false when there is nothing to send any more (confirmed, left, or already mailed). */
  async send(job: ConfirmationMailJobData): Promise<boolean> {
    const subscriber = await this.subscribers.findById(job.subscriberId);
    const token = await this.tokens.findById(job.tokenId);
    if (!subscriber || !token || subscriber.status !== SubscriberStatus.Pending || token.mailedAt || token.usedAt) {
      this.logger.log(`confirmation ${job.tokenId}: nothing to send`);
      return false;
    }
    const links = unsubscribeUrls(this.config, subscriber.unsubscribeToken);
    const rendered = await this.engine.renderEmail('confirmation', {
      subject: 'Please confirm your subscription',
      preheader: `One click to start receiving the ${this.config.company.shortName} weekly digest.`,
      company: this.config.company,
      confirmUrl: this.config.url(`/confirm/${job.token}`),
      ttlHours: this.config.subscriptions.confirmTokenTtlHours,
      unsubscribeUrl: links.page,
      reason: `You receive this mail because this address was entered in the subscribe form of ${this.config.company.name}.`,
    });
    try {
      await this.metrics.measure('confirmation', () =>
        this.transport.send({
          to: subscriber.email,
          subject: `Please confirm your subscription to the ${this.config.company.shortName} weekly digest`,
          html: rendered.html,
          text: rendered.text,
          headers: unsubscribeHeaders(links),
        }),
      );
    } catch (error) {
      // A refusal will not change on a retry (a mistyped address bounces forever): stop here.
      const failure = this.transport.classify(error);
      if (failure.kind !== 'temporary')
        throw new UnrecoverableError(`confirmation ${job.tokenId} refused: ${failure.reason}`);
      // Not the transport's own error, nor as a cause: its message may name the address, and BullMQ keeps it in Redis.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`confirmation ${job.tokenId} failed: ${failure.reason}`);
    }
    await this.tokens.markMailed(token.id);
    return true;
  }
}
