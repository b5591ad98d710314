import { Injectable, Logger } from '@nestjs/common';
import type { RequestContext } from '../../common/request-context.js';
import { DeliveriesRepository } from '../../delivery/deliveries.repository.js';
import { ConfirmationTokensRepository } from '../../subscribers/confirmation-tokens.repository.js';
import { ConsentEventKind } from '../../subscribers/consent-event.entity.js';
import { SubscribersRepository } from '../../subscribers/subscribers.repository.js';
import { SubscriptionsService } from '../../subscribers/subscriptions.service.js';
import { SuppressionReason } from '../../subscribers/suppression.entity.js';
import { SuppressionsRepository } from '../../subscribers/suppressions.repository.js';
import type { SubscriberDto } from './dto/subscriber.dto.js';
import { SubscriberDirectoryService } from './subscriber-directory.service.js';

/** What an operator does to one subscriber: unsubscribe them by hand, or erase them. */
@Injectable()
export class SubscriberActionsService {
  private readonly logger = new Logger(SubscriberActionsService.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly directory: SubscriberDirectoryService,
    private readonly subscriptions: SubscriptionsService,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly deliveries: DeliveriesRepository,
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

  /**
   * Right to erasure: the subscriber row goes, and with it (ON DELETE CASCADE) consent events
   * and confirmation tokens; deliveries keep an anonymous row. What stays is the address's
   * SHA-256 in `suppressions`, so an import cannot add the subscriber back without their new consent.
   * SMTP replies kept with the deliveries lose any address, and the confirmation jobs leave Redis.
   */
  async erase(id: string): Promise<void> {
    const tokenIds = await this.subscribers.transaction(async (manager) => {
      const subscriber = await this.directory.findOrFail(id, manager, true);
      const tokens = await this.tokens.idsOf(manager, id);
      await this.deliveries.scrubErrors(manager, id);
      await this.suppressions.suppress(manager, subscriber.email, SuppressionReason.Erased);
      await this.subscribers.delete(manager, id);
      return tokens;
    });
    await this.subscriptions.forgetConfirmationJobs(tokenIds);
    this.logger.log(`subscriber ${id} erased; address kept only as a suppression hash`);
  }
}
