import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SubscribersRepository } from './subscribers.repository.js';
import { SuppressionReason } from './suppression.entity.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/**
 * Right to erasure, whoever asks (an operator, or the subscriber on their manage page): the
 * subscriber row goes, and with it (ON DELETE CASCADE) consent events and confirmation tokens;
 * deliveries keep an anonymous row. What stays is the address's SHA-256 in `suppressions`, so an
 * import cannot add the subscriber back without their new consent.
 */
@Injectable()
export class SubscriberErasureService {
  private readonly logger = new Logger(SubscriberErasureService.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly suppressions: SuppressionsRepository,
  ) {}

  /** Inside the caller's transaction, with the subscriber's row already locked by it. */
  async erase(manager: EntityManager, subscriber: { id: string; email: string }): Promise<void> {
    await this.suppressions.suppress(manager, subscriber.email, SuppressionReason.Erased);
    await this.subscribers.delete(manager, subscriber.id);
    this.logger.log(`subscriber ${subscriber.id} erased; address kept only as a suppression hash`);
  }
}
