import { Injectable } from '@nestjs/common';
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

/** What a confirmation link is worth right now. */
export type LinkState = 'valid' | 'unknown' | 'expired' | 'used' | 'withdrawn';

/** Confirmation links: GET only looks (mail scanners follow links), POST confirms. */
@Injectable()
export class ConfirmationService {
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

  /** Confirms the subscription; any state but `valid` means nothing changed. */
  async confirm(token: string, context: RequestContext): Promise<LinkState> {
    return this.subscribers.transaction(async (manager) => {
      const { state, row, subscriber } = await this.state(manager, token, true);
      if (state !== 'valid' || !row || !subscriber) return state;
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
      return 'valid';
    });
  }

  private async state(manager: EntityManager | undefined, token: string, lock: boolean) {
    if (!isWellFormedToken(token)) return { state: 'unknown' as const };
    const row = await this.tokens.findByHash(hashSecretToken(token), manager, lock);
    if (!row) return { state: 'unknown' as const };
    const subscriber = await this.subscribers.findById(row.subscriberId, manager, lock);
    if (row.usedAt || subscriber?.status === SubscriberStatus.Confirmed)
      return { state: 'used' as const, row, subscriber };
    if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' as const, row, subscriber };
    if (!subscriber || subscriber.status !== SubscriberStatus.Pending)
      return { state: 'withdrawn' as const, row, subscriber };
    return { state: 'valid' as const, row, subscriber };
  }
}
