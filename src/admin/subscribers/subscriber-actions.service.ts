import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsentEventKind } from '../../subscribers/consent-event.entity.js';
import type { RequestContext } from '../../common/request-context.js';
import { SubscriberStatus } from '../../subscribers/subscriber-status.js';
import { SubscriptionsService } from '../../subscribers/subscriptions.service.js';
import { SuppressionReason } from '../../subscribers/suppression.entity.js';
import { suppress } from '../../subscribers/suppressions.js';
import type { SubscriberDto } from './dto/subscriber.dto.js';
import { SubscriberDirectoryService } from './subscriber-directory.service.js';

/** What an operator does to one subscriber: unsubscribe them by hand, or erase them. */
@Injectable()
export class SubscriberActionsService {
  private readonly logger = new Logger(SubscriberActionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: SubscriberDirectoryService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  /** Idempotent: a subscriber who already left, or bounced, is left as they are and no event is recorded. */
  async unsubscribe(id: string, operator: RequestContext): Promise<SubscriberDto> {
    await this.dataSource.transaction(async (manager) => {
      const subscriber = await this.directory.findOrFail(manager, id, true);
      if (subscriber.status !== SubscriberStatus.Pending && subscriber.status !== SubscriberStatus.Confirmed) return;
      await manager.query(`UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now() WHERE id = $1`, [id]);
      await this.subscriptions.recordConsent(manager, id, ConsentEventKind.Unsubscribe, 'admin', operator);
    });
    return this.directory.findOrFail(this.dataSource.manager, id);
  }

  /**
   * Right to erasure: the subscriber row goes, and with it (ON DELETE CASCADE) consent events
   * and confirmation tokens; deliveries keep an anonymous row. What stays is the address's
   * SHA-256 in `suppressions`, so an import cannot add the subscriber back without their new consent.
   */
  async erase(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const subscriber = await this.directory.findOrFail(manager, id, true);
      await suppress(manager, subscriber.email, SuppressionReason.Erased);
      await manager.query(`DELETE FROM subscribers WHERE id = $1`, [id]);
    });
    this.logger.log(`subscriber ${id} erased; address kept only as a suppression hash`);
  }
}
