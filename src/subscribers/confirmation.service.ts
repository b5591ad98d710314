import { Injectable, Logger } from '@nestjs/common';
import { TransactionalMailJob } from '../common/queue.constants.js';
import type { EntityManager } from 'typeorm';
import { hashSecretToken, isWellFormedToken } from '../common/secret-token.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import type { RequestContext } from '../common/request-context.js';
import type { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import type { WelcomeMailJobData } from './transactional-mail.job.js';

/** What a confirmation link is worth right now. `confirmed`: its subscriber already is, by this link or another. */
export type LinkState = 'valid' | 'unknown' | 'expired' | 'used' | 'withdrawn' | 'confirmed';

/** A link's state, and for an expired one whom it was for: its page offers to send a new link there. */
export type LinkView =
  { state: Exclude<LinkState, 'expired'> } | { state: 'expired'; subscriber: { id: string; email: string } };

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

  async inspect(token: string): Promise<LinkView> {
    return view(await this.state(undefined, token, false));
  }

  /**
   * Confirms the subscription; any state but `valid` means nothing changed. Once committed, the
   * welcome mail is queued: its job id is the token's, which is used once, so one welcome per
   * confirmation.
   */
  async confirm(token: string, context: RequestContext): Promise<LinkView> {
    let welcome: WelcomeMailJobData | undefined;
    const result = await this.subscribers.transaction(async (manager) => {
      const found = await this.state(manager, token, true);
      const { state, row, subscriber } = found;
      if (state !== 'valid' || !row || !subscriber) return view(found);
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
      return { state: 'valid' as const };
    });
    if (welcome) await this.queueWelcome(welcome);
    return result;
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
    // Whatever became of this link, a confirmed reader is told so rather than asked to start again.
    if (subscriber?.status === SubscriberStatus.Confirmed) return { state: 'confirmed' as const, row, subscriber };
    if (row.usedAt) return { state: 'used' as const, row, subscriber };
    if (!subscriber || subscriber.status !== SubscriberStatus.Pending)
      return { state: 'withdrawn' as const, row, subscriber };
    if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' as const, row, subscriber };
    return { state: 'valid' as const, row, subscriber };
  }
}

function view(found: { state: LinkState; subscriber?: Subscriber | null }): LinkView {
  const { state, subscriber } = found;
  if (state !== 'expired') return { state };
  return { state, subscriber: { id: subscriber!.id, email: subscriber!.email } };
}
