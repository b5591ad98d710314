import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../common/request-context.js';
import { ConsentEventKind } from '../../subscribers/consent-event.entity.js';
import { SubscribersRepository } from '../../subscribers/subscribers.repository.js';
import { SubscriptionsService } from '../../subscribers/subscriptions.service.js';
import { SubscriberErasureService } from '../../subscribers/subscriber-erasure.service.js';
import type { SubscriberDto } from './dto/subscriber.dto.js';
import { SubscriberDirectoryService } from './subscriber-directory.service.js';

/** What an operator does to one subscriber: unsubscribe them by hand, or erase them. */
@Injectable()
export class SubscriberActionsService {
  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly erasure: SubscriberErasureService,
    private readonly directory: SubscriberDirectoryService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  /** Idempotent: a subscriber who already left, or bounced, is left as they are and no event is recorded. */
  async unsubscribe(id: string, operator: RequestContext): Promise<SubscriberDto> {
    await this.subscribers.transaction(async (manager) => {
      await this.directory.findOrFail(id, manager, true);
      if (await this.subscribers.markUnsubscribed(manager, id)) {
        await this.subscriptions.recordConsent(manager, id, ConsentEventKind.Unsubscribe, 'admin', operator);
      }
    });
    return this.directory.findOrFail(id);
  }

  /** Right to erasure (see SubscriberErasureService). */
  async erase(id: string): Promise<void> {
    await this.erasure.erase((manager) => this.directory.findOrFail(id, manager, true));
  }
}
