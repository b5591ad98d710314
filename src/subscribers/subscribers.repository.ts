import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { hashSecretToken } from '../common/secret-token.js';
import { LinkTokens } from './link-tokens.js';
import { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';

/** What the form's one statement needs: the subscriber, the consent shown, and the token to issue. */
export interface SubscribeRecord {
  email: string;
  name: string | null;
  source: string;
  ip: string | null;
  userAgent: string | null;
  formVersion: string;
  consentText: string | null;
  /** Made by the caller, since the token is derived from it (LinkTokens.confirmationToken). */
  tokenId: string;
  tokenHash: Buffer;
  tokenTtlHours: number;
  /** Cap on tokens per mailbox (see mailboxKey) and day, counted over every address of the mailbox. */
  mailsPerDay: number;
  mailboxHash: Buffer;
}

/** 16 random bytes, as PostgreSQL makes them without an extension. */
const NEW_NONCE = 'uuid_send(gen_random_uuid())';

/**
 * The one owner of the `subscribers` table: every statement that writes it, and the bulk reads
 * the sending side needs (the operator's lists and views are in SubscriberViewsRepository).
 * Methods that must run inside a caller's transaction take its EntityManager first.
 */
@Injectable()
export class SubscribersRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: LinkTokens,
  ) {}

  transaction<T>(
    work: (manager: EntityManager) => Promise<T>,
    isolation: IsolationLevel = 'READ COMMITTED',
  ): Promise<T> {
    return this.dataSource.transaction(isolation, work);
  }

  /**
   * One statement, so one round trip and atomic: upsert the subscriber (a confirmed one, and one
   * whose address bounced, is left as it is and matches nothing below; one who left opts in
   * again from the start), record the consent, and issue a token unless today's cap for the
   * mailbox is reached. A pending subscriber keeps the name of the first request: anyone can
   * type the address again with another name. The upsert locks the row, so concurrent requests
   * for one address run one after the other. Returns nothing for a confirmed or bounced address,
   * and a null token id when the cap was reached.
   */
  async subscribe(record: SubscribeRecord): Promise<{ subscriberId: string; tokenId: string | null } | undefined> {
    const [row]: Array<{ subscriber_id: string; token_id: string | null }> = await this.dataSource.query(
      `WITH upsert AS (
         INSERT INTO subscribers AS s (email, name) VALUES ($1, $2)
         ON CONFLICT (email) DO UPDATE SET status = 'pending', updated_at = now(),
           name = CASE WHEN s.status = 'pending' THEN s.name ELSE coalesce(EXCLUDED.name, s.name) END
         WHERE s.status NOT IN ('confirmed', 'bounced')
         RETURNING s.id),
       consent AS (
         INSERT INTO consent_events (subscriber_id, kind, source, ip, user_agent, form_version, consent_text)
         SELECT id, 'subscribe', $3, $4, $5, $6, $7 FROM upsert),
       token AS (
         INSERT INTO confirmation_tokens (id, subscriber_id, token_hash, expires_at, mailbox_hash)
         SELECT $12::uuid, u.id, $8, now() + make_interval(hours => $9), $11 FROM upsert u
         WHERE (SELECT count(*) FROM confirmation_tokens t WHERE t.mailbox_hash = $11 AND t.created_at > now() - interval '1 day') < $10
         RETURNING id)
       SELECT u.id AS subscriber_id, t.id AS token_id FROM upsert u LEFT JOIN token t ON true`,
      [
        record.email,
        record.name,
        record.source,
        record.ip,
        record.userAgent,
        record.formVersion,
        record.consentText,
        record.tokenHash,
        record.tokenTtlHours,
        record.mailsPerDay,
        record.mailboxHash,
        record.tokenId,
      ],
    );
    return row && { subscriberId: row.subscriber_id, tokenId: row.token_id };
  }

  /** New subscribers from an import; existing addresses are left unchanged. Returns the new ids. */
  async insertMany(
    manager: EntityManager,
    rows: Array<{ email: string; name: string | null }>,
    status: SubscriberStatus,
  ): Promise<string[]> {
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO subscribers (email, name, status, confirmed_at)
       SELECT i.email, i.name, $3::subscriber_status, CASE WHEN $3 = 'confirmed' THEN now() END
       FROM unnest($1::text[], $2::text[]) AS i(email, name)
       ON CONFLICT (email) DO NOTHING
       RETURNING id`,
      [rows.map((row) => row.email), rows.map((row) => row.name), status],
    );
    return inserted.map((row) => row.id);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Subscriber | null> {
    const query = manager.getRepository(Subscriber).createQueryBuilder('s').where('s.id = :id', { id });
    return (lock ? query.setLock('pessimistic_write') : query).getOne();
  }

  /** The subscriber an unsubscribe or manage link is for, when its MAC matches the current nonce. */
  async findByUnsubscribeToken(
    token: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<Subscriber | null> {
    const parsed = this.links.parse(token);
    if (!parsed) return null;
    const query = manager.getRepository(Subscriber).createQueryBuilder('s');
    if (parsed.kind === 'keyed') query.where('s.id = :id', { id: parsed.subscriberId });
    else query.where('s.legacy_token_hash = :hash', { hash: hashSecretToken(parsed.token) });
    const subscriber = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (!subscriber || (parsed.kind === 'keyed' && !this.links.matches(parsed, subscriber.linkNonce))) return null;
    return subscriber;
  }

  /** The token of this subscriber's unsubscribe and manage links, as mails carry it. */
  linkToken(subscriber: Pick<Subscriber, 'id' | 'linkNonce'>): string {
    return this.links.unsubscribeToken(subscriber.id, subscriber.linkNonce);
  }

  findByEmail(normalisedEmail: string, manager: EntityManager = this.dataSource.manager): Promise<Subscriber | null> {
    return manager.getRepository(Subscriber).findOneBy({ email: normalisedEmail });
  }

  /**
   * The address a subscriber confirmed from their new mailbox. The unique key refuses one held
   * meanwhile. The links rotate: those in mails to the old mailbox stop working.
   */
  async changeEmail(manager: EntityManager, id: string, normalisedEmail: string): Promise<void> {
    await manager.query(
      `UPDATE subscribers SET email = $2, updated_at = now(), link_nonce = ${NEW_NONCE}, legacy_token_hash = NULL WHERE id = $1`,
      [id, normalisedEmail],
    );
  }

  /** pending -> confirmed. One who had left before comes back with new links: older mails' links die. */
  async markConfirmed(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE subscribers SET status = 'confirmed', confirmed_at = now(), updated_at = now(),
         link_nonce = CASE WHEN unsubscribed_at IS NULL THEN link_nonce ELSE ${NEW_NONCE} END,
         legacy_token_hash = CASE WHEN unsubscribed_at IS NULL THEN legacy_token_hash END,
         unsubscribed_at = NULL
       WHERE id = $1`,
      [id],
    );
  }

  /** pending or confirmed -> unsubscribed; false when the subscriber had already left or bounced. */
  async markUnsubscribed(manager: EntityManager, id: string): Promise<boolean> {
    const [, changed] = await manager.query<[unknown[], number]>(
      `UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now() WHERE id = $1 AND status IN ('pending', 'confirmed')`,
      [id],
    );
    return Number(changed) > 0;
  }

  /**
   * unsubscribed -> confirmed, by the subscriber's own link: their address was proven when they
   * first confirmed. The links rotate: returns the new token, or null when nothing changed.
   */
  async markResubscribed(manager: EntityManager, id: string): Promise<string | null> {
    const [rows]: [Array<{ link_nonce: Buffer }>, number] = await manager.query(
      `UPDATE subscribers SET status = 'confirmed', confirmed_at = now(), unsubscribed_at = NULL, updated_at = now(),
         link_nonce = ${NEW_NONCE}, legacy_token_hash = NULL
        WHERE id = $1 AND status = 'unsubscribed' RETURNING link_nonce`,
      [id],
    );
    return rows[0] ? this.links.unsubscribeToken(id, rows[0].link_nonce) : null;
  }

  /** Digests released before `until` leave the subscriber out; null ends a pause. */
  async setPausedUntil(manager: EntityManager, id: string, until: Date | null): Promise<void> {
    await manager.query(`UPDATE subscribers SET paused_until = $2, updated_at = now() WHERE id = $1`, [id, until]);
  }

  async setMailFormat(manager: EntityManager, id: string, format: 'html' | 'text'): Promise<boolean> {
    const [, changed] = await manager.query<[unknown[], number]>(
      `UPDATE subscribers SET mail_format = $2, updated_at = now() WHERE id = $1 AND mail_format <> $2`,
      [id, format],
    );
    return Number(changed) > 0;
  }

  /** A hard bounce: later digests leave this subscriber out. */
  async markBounced(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE subscribers SET status = 'bounced', bounced_at = now(), updated_at = now() WHERE id = $1 AND status = 'confirmed'`,
      [id],
    );
  }

  /** Erasure: consent events and confirmation tokens go with the row (ON DELETE CASCADE). */
  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM subscribers WHERE id = $1`, [id]);
  }

  /**
   * Never confirmed and stale: deleted (consent events and tokens go with them). Confirmed once
   * and re-subscribing: the history stays, but they fall back to unsubscribed. Returns the
   * number deleted.
   */
  async purgePending(days: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM subscribers WHERE status = 'pending' AND confirmed_at IS NULL AND updated_at < now() - make_interval(days => $1)`,
      [days],
    );
    await this.dataSource.query(
      `UPDATE subscribers SET status = 'unsubscribed', updated_at = now() WHERE status = 'pending' AND confirmed_at IS NOT NULL AND updated_at < now() - make_interval(days => $1)`,
      [days],
    );
    return Number(deleted ?? 0);
  }

  /** How many subscribers are in each status, for the metrics. */
  countByStatus(): Promise<Array<{ status: SubscriberStatus; count: number }>> {
    return this.dataSource.query(`SELECT status, count(*)::int AS count FROM subscribers GROUP BY status`);
  }
}
