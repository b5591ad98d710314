import { Injectable } from '@nestjs/common';
import { isWellFormedToken } from '../common/secret-token.js';
import { ConsentEventKind } from './consent-event.entity.js';
import type { RequestContext } from '../common/request-context.js';
import type { Subscriber } from './subscriber.entity.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Leaving takes one request and always works, however old the link. */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async find(token: string): Promise<Subscriber | null> {
    return isWellFormedToken(token) ? this.subscribers.findByUnsubscribeToken(token) : null;
  }

  /**
   * Returns false for an unknown token. Unsubscribing twice is not an error. `digestId` is the
   * digest whose link or mailto was used (attribution only, see ConsentEventsRepository.insert).
   */
  async unsubscribe(token: string, source: string, context: RequestContext, digestId?: string): Promise<boolean> {
    if (!isWellFormedToken(token)) return false;
    return this.subscribers.transaction(async (manager) => {
      const subscriber = await this.subscribers.findByUnsubscribeToken(token, manager, true);
      if (!subscriber) return false;
      if (await this.subscribers.markUnsubscribed(manager, subscriber.id)) {
        await this.subscriptions.recordConsent(
          manager,
          subscriber.id,
          ConsentEventKind.Unsubscribe,
          source,
          context,
          null,
          digestId,
        );
      }
      return true;
    });
  }
}
