import { Injectable, Logger } from '@nestjs/common';
import { TransactionalMailJob } from '../common/queue.constants.js';
import type { EntityManager } from 'typeorm';
import { hashSecretToken, isWellFormedToken } from '../common/secret-token.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import type { RequestContext } from '../common/request-context.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import type { WelcomeMailJobData } from './transactional-mail.job.js';

/** What a confirmation link is worth right now. */
export type LinkState = 'valid' | 'unknown' | 'expired' | 'used' | 'withdrawn';

/** Confirmation links: GET only looks (mail scanners follow links), POST confirms. */
@Injectable()
export class ConfirmationService {
  private readonly logger = new Logger(ConfirmationService.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async inspect(token: string): Promise<LinkState> {
    return this.state(undefined, token, false).then((found) => found.state);
  }

  /**
   * Confirms the subscription; any state but `valid` means nothing changed. Once committed, the
   * welcome mail is queued: its job id is the token's, which is used once, so one welcome per
   * confirmation.
   */
  async confirm(token: string, context: RequestContext): Promise<LinkState> {
    let welcome: WelcomeMailJobData | undefined;
    const state = await this.subscribers.transaction(async (manager) => {
      const { state, row, subscriber } = await this.state(manager, token, true);
      if (state !== 'valid' || !row || !subscriber) return state;
      welcome = { subscriberId: subscriber.id, tokenId: row.id };
      await this.tokens.markUsed(manager, row.id);
      await this.subscribers.markConfirmed(manager, subscriber.id);
      await this.suppressions.lift(manager, subscriber.email);
      // The confirm event repeats what the subscriber agreed to when subscribing.
      const subscribed = await this.consent.latest(manager, subscriber.id, ConsentEventKind.Subscribe);
      await this.subscriptions.recordConsent(
        manager,
        subscriber.id,
        ConsentEventKind.Confirm,
        'confirmation-link',
        context,
        subscribed?.formVersion ?? null,
      );
      return 'valid' as const;
    });
    if (welcome) await this.queueWelcome(welcome);
    return state;
  }

  /** The subscriber is confirmed whatever happens here: a queue outage costs the welcome, never the confirmation page. */
  private async queueWelcome(data: WelcomeMailJobData): Promise<void> {
    try {
      await this.subscriptions.queueMail(TransactionalMailJob.Welcome, data);
    } catch (error) {
      this.logger.warn(`welcome ${data.tokenId} not queued: ${(error as Error).message}`);
    }
  }

  private async state(manager: EntityManager | undefined, token: string, lock: boolean) {
    if (!isWellFormedToken(token)) return { state: 'unknown' as const };
    const row = await this.tokens.findByHash(hashSecretToken(token), manager, lock);
    // A change-of-address link is not a subscription's confirmation (EmailChangeService takes it).
    if (!row || row.newEmail) return { state: 'unknown' as const };
    const subscriber = await this.subscribers.findById(row.subscriberId, manager, lock);
    if (row.usedAt || subscriber?.status === SubscriberStatus.Confirmed)
      return { state: 'used' as const, row, subscriber };
    if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' as const, row, subscriber };
    if (!subscriber || subscriber.status !== SubscriberStatus.Pending)
      return { state: 'withdrawn' as const, row, subscriber };
    return { state: 'valid' as const, row, subscriber };
  }
}
