import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isWellFormedToken } from '../common/secret-token.js';
import { ConsentEventKind } from './consent-event.entity.js';
import type { RequestContext } from '../common/request-context.js';
import { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Leaving takes one request and always works, however old the link. */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async exists(token: string): Promise<boolean> {
    return isWellFormedToken(token) && (await this.dataSource.getRepository(Subscriber).existsBy({ unsubscribeToken: token }));
  }

  /** Returns false for an unknown token. Unsubscribing twice is not an error. */
  async unsubscribe(token: string, source: string, context: RequestContext): Promise<boolean> {
    if (!isWellFormedToken(token)) return false;
    return this.dataSource.transaction(async (manager) => {
      const subscriber = await manager
        .getRepository(Subscriber)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.unsubscribe_token = :token', { token })
        .getOne();
      if (!subscriber) return false;
      if (subscriber.status === SubscriberStatus.Pending || subscriber.status === SubscriberStatus.Confirmed) {
        await manager.update(Subscriber, subscriber.id, { status: SubscriberStatus.Unsubscribed, unsubscribedAt: () => 'now()' });
        await this.subscriptions.recordConsent(manager, subscriber.id, ConsentEventKind.Unsubscribe, source, context);
      }
      return true;
    });
  }
}
