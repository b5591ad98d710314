import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SendTarget } from './delivery-job.js';
import { DeliveryStatus } from './delivery-status.js';

/** A delivery claimed for sending, with what the message needs. */
export interface ClaimedDelivery {
  id: string;
  digest_id: string;
  email: string;
  /** Only a confirmed subscriber is claimed, so this name went through the confirmation: it may go in To. */
  name: string | null;
  subscriber_id: string;
  /** What the subscriber's link token is made from (LinkTokens); the token itself is never stored. */
  link_nonce: Buffer;
  /** The subscriber's choice on their manage page: 'text' gets a text/plain copy only. */
  mail_format: 'html' | 'text';
}

/** A delivery found from a provider event. */
export interface ReportedDelivery {
  id: string;
  digestId: string;
  subscriberId: string | null;
  status: DeliveryStatus;
}

/** Why a delivery could not be claimed. */
export interface UnclaimedDelivery {
  status: DeliveryStatus;
  digest_id: string;
  digest_status: string;
  paused_at: Date | null;
  /** Null when the subscriber was erased. */
  subscriber_status: string | null;
}

/**
 * The one owner of the `deliveries` table (and reader of the trigger-kept
 * `digest_delivery_counts`). Statuses only move forward, a trigger makes sure; every UPDATE here
 * names the statuses it moves from, so a late or repeated call changes nothing.
 */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * One keyset page of the subscribers confirmed at `frozenAt`, after `after`, turned into
   * deliveries (existing ones are left alone). Returns the page's last subscriber id (null when
   * there are no more) and the deliveries this call created, with their recipients' domains.
   */
  async createPage(
    digestId: string,
    frozenAt: Date,
    after: string,
    size: number,
  ): Promise<{ last: string | null; created: SendTarget[] }> {
    const [{ last, created }] = await this.dataSource.query<
      Array<{ last: string | null; created: SendTarget[] | null }>
    >(
      `WITH page AS (
         SELECT id, email FROM subscribers
         WHERE status = 'confirmed' AND coalesce(confirmed_at, '-infinity') <= $2 AND id > $3
           AND (paused_until IS NULL OR paused_until <= $2)
         ORDER BY id LIMIT $4),
       created AS (
         INSERT INTO deliveries (digest_id, subscriber_id) SELECT $1, id FROM page
         ON CONFLICT (subscriber_id, digest_id) DO NOTHING RETURNING id, subscriber_id)
       SELECT (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS last,
              (SELECT json_agg(json_build_object('id', c.id::text, 'domain', split_part(p.email, '@', 2)) ORDER BY c.id)
                 FROM created c JOIN page p ON p.id = c.subscriber_id) AS created`,
      [digestId, frozenAt, after, size],
    );
    return { last, created: created ?? [] };
  }

  /**
   * A digest's deliveries in these statuses, with their recipients' domains and statuses, a keyset
   * page at a time. `upTo` bounds the ids too (a batch's block), which makes the read a short range
   * of the primary key: without it, PostgreSQL answered a 100-row block of a 1,000,000-delivery
   * digest by sorting every row in these statuses, in 9 to 19 s.
   */
  async sendTargetsPage(
    digestId: string,
    statuses: readonly DeliveryStatus[],
    after: string,
    size: number,
    upTo?: string,
  ): Promise<SendTarget[]> {
    const rows: Array<{ id: string; domain: string | null; status: DeliveryStatus }> = await this.dataSource.query(
      `SELECT d.id, split_part(s.email, '@', 2) AS domain, d.status FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.digest_id = $1 AND d.status = ANY($2::delivery_status[]) AND d.id > $3
         ${upTo === undefined ? '' : 'AND d.id <= $5'}
       ORDER BY d.id LIMIT $4`,
      upTo === undefined ? [digestId, statuses, after, size] : [digestId, statuses, after, size, upTo],
    );
    return rows.map((row) => ({ id: String(row.id), domain: row.domain ?? '', status: row.status }));
  }

  /** Claims the deliveries whose digest is sending and unpaused and whose subscriber is still confirmed. */
  async claim(ids: string[]): Promise<Array<ClaimedDelivery | undefined>> {
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, started_at = coalesce(d.started_at, now()), next_attempt_at = NULL
       FROM digests g, subscribers s
       WHERE d.id = ANY($1::bigint[]) AND g.id = d.digest_id AND s.id = d.subscriber_id
         AND d.status IN ('queued', 'sending', 'retrying') AND g.status = 'sending' AND g.paused_at IS NULL AND s.status = 'confirmed'
       RETURNING d.id, d.digest_id, s.email, s.name, s.id AS subscriber_id, s.link_nonce, s.mail_format`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    return ids.map((id) => byId.get(id));
  }

  async markSent(sent: Array<{ id: string; messageId: string; providerMessageId?: string }>): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries d SET status = 'sent', message_id = v.message_id, provider_message_id = v.provider_message_id,
              finished_at = now(), last_error = NULL, last_error_code = NULL
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, message_id, provider_message_id)
       WHERE d.id = v.id AND d.status = 'sending'`,
      [sent.map((s) => s.id), sent.map((s) => s.messageId), sent.map((s) => s.providerMessageId ?? null)],
    );
  }

  /** The delivery a provider event names, by our Message-ID or the provider's message id (both indexed). */
  async findByMessageIds(
    messageId: string | null,
    providerMessageId: string | null,
  ): Promise<ReportedDelivery | undefined> {
    if (!messageId && !providerMessageId) return undefined;
    const [row] = await this.dataSource.query<ReportedDelivery[]>(
      `SELECT id, digest_id AS "digestId", subscriber_id AS "subscriberId", status FROM deliveries
       WHERE message_id = $1 OR provider_message_id = $2 ORDER BY id LIMIT 1`,
      [messageId, providerMessageId],
    );
    return row;
  }

  /**
   * The provider reports a delivery bounced or complained about: sent (or sending, when the report
   * beats our own bookkeeping) moves there, the one step back the trigger allows. False when the
   * row had already moved elsewhere.
   */
  async markReported(
    id: string,
    status: DeliveryStatus.Bounced | DeliveryStatus.Complained,
    reason: string,
  ): Promise<boolean> {
    const [, changed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE deliveries SET status = $2, last_error = $3, finished_at = coalesce(finished_at, now())
       WHERE id = $1 AND status IN ('sent', 'sending')`,
      [id, status, reason.slice(0, 1000)],
    );
    return Number(changed) > 0;
  }

  async whyUnclaimed(id: string): Promise<UnclaimedDelivery | undefined> {
    const [row] = await this.dataSource.query<UnclaimedDelivery[]>(
      `SELECT d.status, d.digest_id, g.status AS digest_status, g.paused_at, s.status AS subscriber_status
       FROM deliveries d JOIN digests g ON g.id = d.digest_id LEFT JOIN subscribers s ON s.id = d.subscriber_id WHERE d.id = $1`,
      [id],
    );
    return row;
  }

  /**
   * Erasure: replies stored by older versions, before they were redacted, may name the address;
   * the subscriber's rows keep their status and code, without any address in the reply.
   */
  async scrubErrors(manager: EntityManager, subscriberId: string): Promise<void> {
    await manager.query(
      `UPDATE deliveries SET last_error = regexp_replace(last_error, '<?[^[:space:]<>@]+@[^[:space:]<>]+>?', '<address>', 'g')
       WHERE subscriber_id = $1 AND last_error IS NOT NULL`,
      [subscriberId],
    );
  }

  async skip(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, finished_at = now(), next_attempt_at = NULL
       WHERE id = $1 AND status IN ('queued', 'sending', 'retrying')`,
      [id, reason],
    );
  }

  /** A temporary failure: the row becomes `retrying` with the reply and the next attempt's due time kept. */
  async noteTemporaryFailure(id: string, reason: string, code: number | null, retryInMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'retrying', last_error = $2, last_error_code = $3,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE id = $1 AND status = 'sending'`,
      [id, reason.slice(0, 1000), code, retryInMs],
    );
  }

  /** A final failure; returns the digest and subscriber, or undefined when the row had moved on. */
  async markFailed(
    id: string,
    status: DeliveryStatus.Failed | DeliveryStatus.Bounced,
    reason: string,
    code: number | null,
  ): Promise<{ digest_id: string; subscriber_id: string | null } | undefined> {
    const [[row]] = await this.dataSource.query<[Array<{ digest_id: string; subscriber_id: string | null }>, number]>(
      `UPDATE deliveries SET status = $2, last_error = $3, last_error_code = $4, finished_at = now()
       WHERE id = $1 AND status = 'sending' RETURNING digest_id, subscriber_id`,
      [id, status, reason, code],
    );
    return row;
  }

  /**
   * A cancelled digest's deliveries with no send in flight (queued, or waiting to retry) become
   * skipped, inside the caller's transaction when given one.
   */
  async skipIdle(manager: EntityManager | null, digestId: string, reason: string): Promise<number> {
    const [, skipped] = await (manager ?? this.dataSource).query<[unknown[], number]>(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, finished_at = now(), next_attempt_at = NULL
       WHERE digest_id = $1 AND status IN ('queued', 'retrying')`,
      [digestId, reason.slice(0, 1000)],
    );
    return Number(skipped);
  }

  /** These deliveries, when still `sending`, become skipped (their job is gone: nothing is in flight). */
  async skipSending(ids: readonly string[], reason: string): Promise<number> {
    if (!ids.length) return 0;
    const [, skipped] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, finished_at = now()
       WHERE id = ANY($1::bigint[]) AND status = 'sending'`,
      [ids, reason.slice(0, 1000)],
    );
    return Number(skipped);
  }

  /** failed -> queued: the flagged way back, allowed by the trigger only inside retry-failed's transaction. */
  async requeueFailed(manager: EntityManager, digestId: string): Promise<number> {
    await manager.query(`SET LOCAL tidings.retry_failed = 'on'`);
    const [, requeued] = await manager.query<[unknown[], number]>(
      `UPDATE deliveries SET status = 'queued', finished_at = NULL, queued_at = now() WHERE digest_id = $1 AND status = 'failed'`,
      [digestId],
    );
    return Number(requeued);
  }

  /** Counts by status from the trigger-kept counters: a primary-key read per digest. */
  counts(digestIds: string[]): Promise<Array<{ digest_id: string; status: DeliveryStatus; count: string }>> {
    if (!digestIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT digest_id, status, count FROM digest_delivery_counts WHERE digest_id = ANY($1::uuid[])`,
      [digestIds],
    );
  }

  /** Cancelled digests that still have unsettled deliveries (from the counters, no scan). */
  async cancelledWithOpenDeliveries(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT DISTINCT g.id FROM digests g JOIN digest_delivery_counts c ON c.digest_id = g.id
       WHERE g.status = 'cancelled' AND c.status IN ('queued', 'sending', 'retrying') AND c.count > 0`,
    );
    return rows.map((row) => row.id);
  }

  /** When a digest's retries are next and last due, and the last outcome recorded: index reads on the partial indexes. */
  async retryTimes(
    digestId: string,
  ): Promise<{ nextAttemptAt: Date | null; lastFinishedAt: Date | null; lastError: string | null }> {
    const [row] = await this.dataSource.query<
      Array<{ nextAttemptAt: Date | null; lastFinishedAt: Date | null; lastError: string | null }>
    >(
      `SELECT (SELECT min(next_attempt_at) FROM deliveries WHERE digest_id = $1 AND next_attempt_at IS NOT NULL) AS "nextAttemptAt",
              (SELECT max(finished_at) FROM deliveries WHERE digest_id = $1) AS "lastFinishedAt",
              (SELECT last_error FROM deliveries WHERE digest_id = $1 AND next_attempt_at IS NOT NULL
                ORDER BY next_attempt_at DESC LIMIT 1) AS "lastError"`,
      [digestId],
    );
    return row;
  }
}
