import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hashSecretToken, isWellFormedToken } from '../common/secret-token.js';
import { ConfirmationToken } from './confirmation-token.entity.js';
import { ConsentEvent, ConsentEventKind } from './consent-event.entity.js';
import type { RequestContext } from '../common/request-context.js';
import { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { liftSuppression } from './suppressions.js';

/** What a confirmation link is worth right now. */
export type LinkState = 'valid' | 'unknown' | 'expired' | 'used' | 'withdrawn';

/** Confirmation links: GET only looks (mail scanners follow links), POST confirms. */
@Injectable()
export class ConfirmationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async inspect(token: string): Promise<LinkState> {
    return this.state(this.dataSource.manager, token, false).then((found) => found.state);
  }

  /** Confirms the subscription; any state but `valid` means nothing changed. */
  async confirm(token: string, context: RequestContext): Promise<LinkState> {
    return this.dataSource.transaction(async (manager) => {
      const { state, row, subscriber } = await this.state(manager, token, true);
      if (state !== 'valid' || !row || !subscriber) return state;
      await manager.update(ConfirmationToken, row.id, { usedAt: () => 'now()' });
      await manager.update(Subscriber, subscriber.id, { status: SubscriberStatus.Confirmed, confirmedAt: () => 'now()' });
      await liftSuppression(manager, subscriber.email);
      // The confirm event repeats what the subscriber agreed to when subscribing.
      const subscribed = await manager.findOne(ConsentEvent, {
        where: { subscriberId: subscriber.id, kind: ConsentEventKind.Subscribe },
        order: { occurredAt: 'DESC', id: 'DESC' },
      });
      await this.subscriptions.recordConsent(manager, subscriber.id, ConsentEventKind.Confirm, 'confirmation-link', context, subscribed?.formVersion ?? null);
      return 'valid';
    });
  }

  private async state(manager: EntityManager, token: string, lock: boolean) {
    if (!isWellFormedToken(token)) return { state: 'unknown' as const };
    const query = manager.getRepository(ConfirmationToken).createQueryBuilder('t').where('t.token_hash = :hash', { hash: hashSecretToken(token) });
    const row = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (!row) return { state: 'unknown' as const };
    const subscriberQuery = manager.getRepository(Subscriber).createQueryBuilder('s').where('s.id = :id', { id: row.subscriberId });
    const subscriber = await (lock ? subscriberQuery.setLock('pessimistic_write') : subscriberQuery).getOne();
    if (row.usedAt || subscriber?.status === SubscriberStatus.Confirmed) return { state: 'used' as const, row, subscriber };
    if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' as const, row, subscriber };
    if (!subscriber || subscriber.status !== SubscriberStatus.Pending) return { state: 'withdrawn' as const, row, subscriber };
    return { state: 'valid' as const, row, subscriber };
  }
}
