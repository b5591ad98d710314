import { Injectable } from '@nestjs/common';
import { ConfirmationTokensRepository } from '../subscribers/confirmation-tokens.repository.js';
import { type ConsentEventView, ConsentEventsRepository } from '../subscribers/consent-events.repository.js';
import type { ConfirmationTokenView } from '../subscribers/confirmation-tokens.repository.js';
import { type SubscriberView, SubscriberViewsRepository } from '../subscribers/subscriber-views.repository.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import { DeliveryViewsRepository, type SubscriberDeliveryRow } from './delivery-views.repository.js';

export interface SubscriberDataExport {
  exportedAt: Date;
  subscriber: SubscriberView;
  consentEvents: ConsentEventView[];
  confirmationTokens: ConfirmationTokenView[];
  deliveries: SubscriberDeliveryRow[];
}

/**
 * Everything held about one subscriber (a data-access request), secrets left out. It sits here,
 * the lowest layer that sees both subscribers and deliveries, so the operator's export
 * (/admin/subscribers/:id/export) and the subscriber's own download are one and the same.
 */
@Injectable()
export class SubscriberDataExportService {
  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly views: SubscriberViewsRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly deliveries: DeliveryViewsRepository,
  ) {}

  /** Undefined for a subscriber who does not exist. */
  async export(id: string): Promise<SubscriberDataExport | undefined> {
    // One snapshot: a subscriber changed half-way must not come out half old, half new.
    return this.subscribers.transaction(async (manager) => {
      const subscriber = await this.views.view(id, manager);
      if (!subscriber) return undefined;
      return {
        exportedAt: new Date(),
        subscriber,
        consentEvents: await this.consent.listOf(id, manager),
        confirmationTokens: await this.tokens.listOf(id, manager),
        deliveries: await this.deliveries.historyOf(id),
      };
    }, 'REPEATABLE READ');
  }
}
