import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ProviderEvent } from './provider-event.js';

export interface DeliveryEventRow {
  id: string;
  provider: string;
  type: string;
  messageId: string | null;
  providerMessageId: string | null;
  deliveryId: string | null;
  digestId: string | null;
  subscriberId: string | null;
  verdict: string;
  detail: string | null;
  receivedAt: Date;
}

/** The one owner of `delivery_events`: each provider event as received, with what we made of it. */
@Injectable()
export class DeliveryEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the event; returns its id, or null when (provider, event key) was seen before: a replay. */
  async insert(provider: string, event: ProviderEvent): Promise<string | null> {
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `INSERT INTO delivery_events (provider, event_key, type, message_id, provider_message_id, detail, raw, verdict)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'received') ON CONFLICT (provider, event_key) DO NOTHING RETURNING id`,
      [
        provider,
        event.eventKey,
        event.type,
        event.messageId,
        event.providerMessageId,
        event.detail?.slice(0, 1000) ?? null,
        JSON.stringify(event.raw),
      ],
    );
    return row ? String(row.id) : null;
  }

  async settle(
    id: string,
    verdict: string,
    match: { deliveryId: string; digestId: string; subscriberId: string | null } | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE delivery_events SET verdict = $2, delivery_id = $3, digest_id = $4, subscriber_id = $5 WHERE id = $1`,
      [id, verdict, match?.deliveryId ?? null, match?.digestId ?? null, match?.subscriberId ?? null],
    );
  }

  /** Soft bounces of a subscriber within the last `days` days (served by a partial index). */
  async softBounces(subscriberId: string, days: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM delivery_events
       WHERE subscriber_id = $1 AND type = 'soft_bounce' AND received_at > now() - make_interval(days => $2)`,
      [subscriberId, days],
    );
    return n;
  }

  /** Deletes events older than `days` days; returns how many. */
  async purge(days: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM delivery_events WHERE received_at < now() - make_interval(days => $1)`,
      [days],
    );
    return Number(deleted);
  }

  /** Newest first, keyset-paged on the id; optionally one subscriber's or one digest's. */
  recent(filter: {
    subscriberId?: string;
    digestId?: string;
    beforeId?: string;
    limit: number;
  }): Promise<DeliveryEventRow[]> {
    return this.dataSource.query(
      `SELECT id, provider, type, message_id AS "messageId", provider_message_id AS "providerMessageId",
              delivery_id AS "deliveryId", digest_id AS "digestId", subscriber_id AS "subscriberId", verdict, detail,
              received_at AS "receivedAt"
         FROM delivery_events
        WHERE ($1::uuid IS NULL OR subscriber_id = $1) AND ($2::uuid IS NULL OR digest_id = $2)
          AND ($3::bigint IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [filter.subscriberId ?? null, filter.digestId ?? null, filter.beforeId ?? null, filter.limit],
    );
  }
}
