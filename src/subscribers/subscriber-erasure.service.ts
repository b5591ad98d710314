import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SuppressionReason } from './suppression.entity.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/**
 * Something that holds a subscriber's data in a feature above this one (the delivery feature keeps
 * their SMTP replies) and must scrub it when they are erased, inside the erasure's transaction.
 */
export interface SubscriberErasureListener {
  subscriberErasing(manager: EntityManager, subscriberId: string): Promise<void>;
}

/**
 * Right to erasure, whoever asks (an operator, or the subscriber on their manage page): the
 * subscriber row goes, and with it (ON DELETE CASCADE) consent events and confirmation tokens;
 * deliveries keep an anonymous row whose stored replies the listeners scrub. What stays is a keyed
 * hash of the address in `suppressions`, so an import cannot add the subscriber back without
 * their new consent. Once committed, their confirmation jobs leave Redis.
 */
@Injectable()
export class SubscriberErasureService {
  private readonly logger = new Logger(SubscriberErasureService.name);
  private readonly listeners: SubscriberErasureListener[] = [];

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  register(listener: SubscriberErasureListener): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  /**
   * Erases the subscriber that `find` locks inside the transaction (it may throw a 404 of its
   * own). Returns false when `find` found nobody.
   */
  async erase(find: (manager: EntityManager) => Promise<{ id: string; email: string } | null>): Promise<boolean> {
    const erased = await this.subscribers.transaction(async (manager) => {
      const subscriber = await find(manager);
      if (!subscriber) return null;
      const tokenIds = await this.tokens.idsOf(manager, subscriber.id);
      for (const listener of this.listeners) await listener.subscriberErasing(manager, subscriber.id);
      await this.suppressions.suppress(manager, subscriber.email, SuppressionReason.Erased);
      await this.subscribers.delete(manager, subscriber.id);
      return { id: subscriber.id, tokenIds };
    });
    if (!erased) return false;
    await this.subscriptions.forgetConfirmationJobs(erased.tokenIds);
    this.logger.log(`subscriber ${erased.id} erased; address kept only as a suppression hash`);
    return true;
  }
}
