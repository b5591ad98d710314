import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryStatus } from './delivery-status.js';

export interface DeliveryRow {
  id: string;
  subscriberId: string | null;
  email: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastErrorCode: number | null;
  /** When a retrying delivery's next attempt is due. */
  nextAttemptAt: Date | null;
  messageId: string | null;
  providerMessageId: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface SubscriberDeliveryRow {
  digestId: string;
  status: DeliveryStatus;
  attempts: number;
  queuedAt: Date;
  finishedAt: Date | null;
  lastError: string | null;
}

/**
 * What an operator or a subscriber's data export sees of `deliveries`: a digest's deliveries a page
 * at a time, and one subscriber's history. Reads only; DeliveriesRepository stays the one writer.
 */
@Injectable()
export class DeliveryViewsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One digest's deliveries in id order, keyset-paged on the id (no OFFSET, any depth). */
  page(digestId: string, status: DeliveryStatus | null, afterId: string, limit: number): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT d.id, d.subscriber_id AS "subscriberId", s.email, d.status, d.attempts, d.last_error AS "lastError", d.last_error_code AS "lastErrorCode", d.next_attempt_at AS "nextAttemptAt",
              d.message_id AS "messageId", d.provider_message_id AS "providerMessageId", d.queued_at AS "queuedAt", d.started_at AS "startedAt", d.finished_at AS "finishedAt"
         FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = $1 AND ($2::delivery_status IS NULL OR d.status = $2) AND d.id > $3
        ORDER BY d.id LIMIT $4`,
      [digestId, status, afterId, limit],
    );
  }

  /** A subscriber's deliveries, newest first; served by the (subscriber_id, digest_id) unique index. */
  historyOf(subscriberId: string): Promise<SubscriberDeliveryRow[]> {
    return this.dataSource.query(
      `SELECT digest_id AS "digestId", status, attempts, queued_at AS "queuedAt", finished_at AS "finishedAt", last_error AS "lastError"
         FROM deliveries WHERE subscriber_id = $1 ORDER BY queued_at DESC, id DESC LIMIT 500`,
      [subscriberId],
    );
  }
}
