import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AutoPause } from '../delivery/auto-pause.js';
import { DeliveriesRepository, type ReportedDelivery } from '../delivery/deliveries.repository.js';
import { DeliveryStatus } from '../delivery/delivery-status.js';
import { ConsentEventKind } from '../subscribers/consent-event.entity.js';
import { ConsentEventsRepository } from '../subscribers/consent-events.repository.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import { SuppressionReason } from '../subscribers/suppression.entity.js';
import { SuppressionsRepository } from '../subscribers/suppressions.repository.js';
import { DeliveryEventsRepository } from './delivery-events.repository.js';
import type { ProviderEvent } from './provider-event.js';
import { WebhookRefused } from './webhooks/webhook-verifier.js';

/** The verdict of an event that was seen before. */
export const REPLAYED = 'replayed';

/**
 * What a verified provider event does: stored first (a second arrival of the same event is a
 * replay and changes nothing), matched to its delivery by Message-ID or provider message id, then
 * applied, and its verdict kept beside it for the operator.
 */
@Injectable()
export class DeliveryEventsService {
  private readonly logger = new Logger(DeliveryEventsService.name);

  constructor(
    private readonly events: DeliveryEventsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly subscribers: SubscribersRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly autoPause: AutoPause,
    private readonly config: AppConfig,
  ) {}

  /** Throws WebhookRefused when every event of the request was seen before. */
  async record(provider: string, events: ProviderEvent[]): Promise<string[]> {
    const verdicts = await this.receive(provider, events);
    const applied = verdicts.filter((verdict) => verdict !== REPLAYED);
    if (events.length && !applied.length) throw new WebhookRefused(provider, 'replayed');
    return applied;
  }

  /**
   * Each event's verdict, for webhooks and inbound mail alike. An event seen before (same
   * provider and event key) is `replayed` and changes nothing: a mail fetched twice, or a
   * webhook retried, acts once.
   */
  async receive(provider: string, events: ProviderEvent[]): Promise<string[]> {
    const verdicts: string[] = [];
    for (const event of events) {
      const id = await this.events.insert(provider, event);
      if (!id) {
        verdicts.push(REPLAYED);
        continue;
      }
      const delivery = await this.deliveries.findByMessageIds(event.messageId, event.providerMessageId);
      const verdict = delivery ? await this.apply(provider, event, delivery) : 'no matching delivery';
      await this.events.settle(
        id,
        verdict,
        delivery ? { deliveryId: delivery.id, digestId: delivery.digestId, subscriberId: delivery.subscriberId } : null,
      );
      verdicts.push(verdict);
    }
    return verdicts;
  }

  private async apply(provider: string, event: ProviderEvent, delivery: ReportedDelivery): Promise<string> {
    const subscriberId = delivery.subscriberId;
    const reason = `${provider} ${event.type.replace('_', ' ')}${event.detail ? `: ${event.detail}` : ''}`;
    switch (event.type) {
      case 'bounce': {
        await this.deliveries.markReported(delivery.id, DeliveryStatus.Bounced, reason);
        if (subscriberId) await this.subscribers.markBounced(subscriberId);
        const paused = await this.autoPause.check(delivery.digestId);
        return `hard bounce: delivery bounced, subscriber bounced${paused ? `; send paused (${paused})` : ''}`;
      }
      case 'soft_bounce': {
        if (!subscriberId) return 'soft bounce: subscriber erased';
        const { softBouncesToBounce, softBounceWindowDays } = this.config.deliverability;
        // This event is not linked to the subscriber until it is settled: it is the + 1.
        const count = (await this.events.softBounces(subscriberId, softBounceWindowDays)) + 1;
        if (count < softBouncesToBounce)
          return `soft bounce ${count} of ${softBouncesToBounce} in ${softBounceWindowDays} days`;
        await this.subscribers.markBounced(subscriberId);
        return `soft bounce ${count} of ${softBouncesToBounce} in ${softBounceWindowDays} days: subscriber bounced`;
      }
      case 'complaint': {
        await this.deliveries.markReported(delivery.id, DeliveryStatus.Complained, reason);
        if (subscriberId) await this.unsubscribeForComplaint(provider, subscriberId);
        const paused = await this.autoPause.check(delivery.digestId);
        return `complaint: subscriber unsubscribed and address suppressed${paused ? `; send paused (${paused})` : ''}`;
      }
      default:
        return `${event.type}: recorded`;
    }
  }

  private async unsubscribeForComplaint(provider: string, subscriberId: string): Promise<void> {
    await this.subscribers.transaction(async (manager) => {
      const subscriber = await this.subscribers.findById(subscriberId, manager, true);
      if (!subscriber) return;
      await this.suppressions.suppress(manager, subscriber.email, SuppressionReason.Complaint);
      if (await this.subscribers.markUnsubscribed(manager, subscriberId)) {
        await this.consent.insert(manager, {
          subscriberId,
          kind: ConsentEventKind.Unsubscribe,
          source: `complaint:${provider}`,
          ip: null,
          userAgent: null,
          formVersion: null,
          consentText: null,
        });
      }
    });
    this.logger.log(`subscriber ${subscriberId} unsubscribed after a ${provider} complaint`);
  }
}
