import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SubscriberDeliveryDto } from './dto/subscriber.dto.js';

/**
 * A subscriber's delivery history, shown with the subscriber and in a data-access export. Kept behind
 * this one method so that the delivery feature can fill it in without touching the admin API.
 */
@Injectable()
export class SubscriberHistoryService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first; served by the (subscriber_id, digest_id) unique index. */
  async deliveriesOf(subscriberId: string): Promise<SubscriberDeliveryDto[]> {
    return this.dataSource.query(
      `SELECT digest_id AS "digestId", status, attempts, queued_at AS "queuedAt", finished_at AS "finishedAt", last_error AS "lastError"
         FROM deliveries WHERE subscriber_id = $1 ORDER BY queued_at DESC, id DESC LIMIT 500`,
      [subscriberId],
    );
  }
}
