import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfirmationToken } from './confirmation-token.entity.js';

export interface ConfirmationTokenView {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  mailedAt: Date | null;
  usedAt: Date | null;
  /** The address a change link would move the subscription to. */
  newEmail: string | null;
}

/** A link to a new address, issued unless the new mailbox had its day's share of links (see mailboxKey). */
export interface EmailChangeRecord {
  subscriberId: string;
  /** Made by the caller: the token is derived from it (LinkTokens). */
  tokenId: string;
  newEmail: string;
  tokenHash: Buffer;
  ttlHours: number;
  mailsPerDay: number;
  mailboxHash: Buffer;
}

/** The one owner of `confirmation_tokens`. Only hashes are stored; the tokens are derived from the ids (LinkTokens). */
@Injectable()
export class ConfirmationTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<ConfirmationToken | null> {
    return this.dataSource.getRepository(ConfirmationToken).findOneBy({ id });
  }

  async idsOf(manager: EntityManager, subscriberId: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`SELECT id FROM confirmation_tokens WHERE subscriber_id = $1`, [
      subscriberId,
    ]);
    return rows.map((row) => row.id);
  }

  findByHash(
    hash: Buffer,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ConfirmationToken | null> {
    const query = manager
      .getRepository(ConfirmationToken)
      .createQueryBuilder('t')
      .where('t.token_hash = :hash', { hash });
    return (lock ? query.setLock('pessimistic_write') : query).getOne();
  }

  /** One token each for many subscribers, set-based; `hashes` are hex, in the order of `subscriberIds`. */
  /** One token per subscriber; `tokens` are (token id, token hash in hex), made by the caller. */
  insertMany(
    manager: EntityManager,
    subscriberIds: string[],
    tokens: Array<{ id: string; hash: string }>,
    ttlHours: number,
  ): Promise<Array<{ id: string; subscriber_id: string }>> {
    return manager.query(
      `INSERT INTO confirmation_tokens (id, subscriber_id, token_hash, expires_at)
       SELECT t.token_id, t.id, decode(t.hash, 'hex'), now() + make_interval(hours => $4)
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS t(id, token_id, hash)
       RETURNING id, subscriber_id`,
      [subscriberIds, tokens.map((t) => t.id), tokens.map((t) => t.hash), ttlHours],
    );
  }

  /**
   * A new token for a subscriber who is still pending, unless today's cap for the mailbox is
   * reached (as the subscribe statement counts it). The subscriber row is locked, so this and a
   * subscribe of the same address run one after the other. Says which of the two stopped it.
   */
  async issue(record: {
    subscriberId: string;
    /** Made by the caller: the token is derived from it (LinkTokens). */
    tokenId: string;
    tokenHash: Buffer;
    ttlHours: number;
    mailsPerDay: number;
    mailboxHash: Buffer;
  }): Promise<{ pending: boolean; tokenId: string | null }> {
    const [row]: Array<{ pending: boolean; token_id: string | null }> = await this.dataSource.query(
      `WITH subscriber AS (SELECT id FROM subscribers WHERE id = $1 AND status = 'pending' FOR UPDATE),
       token AS (
         INSERT INTO confirmation_tokens (id, subscriber_id, token_hash, expires_at, mailbox_hash)
         SELECT $6::uuid, id, $2, now() + make_interval(hours => $3), $5 FROM subscriber
         WHERE (SELECT count(*) FROM confirmation_tokens t WHERE t.mailbox_hash = $5 AND t.created_at > now() - interval '1 day') < $4
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM subscriber) AS pending, (SELECT id FROM token) AS token_id`,
      [record.subscriberId, record.tokenHash, record.ttlHours, record.mailsPerDay, record.mailboxHash, record.tokenId],
    );
    return { pending: row.pending, tokenId: row.token_id };
  }

  /**
   * Issues a change link and ends any earlier one still open: only the latest address asked for
   * can take effect. Returns the new token's id, or null when the new mailbox's daily cap is reached.
   */
  async issueEmailChange(manager: EntityManager, record: EmailChangeRecord): Promise<string | null> {
    await this.expireEmailChanges(manager, record.subscriberId);
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO confirmation_tokens (id, subscriber_id, token_hash, expires_at, mailbox_hash, new_email)
       SELECT $7::uuid, $1, $2, now() + make_interval(hours => $3), $5, $6
       WHERE (SELECT count(*) FROM confirmation_tokens t WHERE t.mailbox_hash = $5 AND t.created_at > now() - interval '1 day') < $4
       RETURNING id`,
      [
        record.subscriberId,
        record.tokenHash,
        record.ttlHours,
        record.mailsPerDay,
        record.mailboxHash,
        record.newEmail,
        record.tokenId,
      ],
    );
    return row?.id ?? null;
  }

  /** Change links not yet used stop working (a newer one was issued, or one was used). */
  async expireEmailChanges(manager: EntityManager, subscriberId: string): Promise<void> {
    await manager.query(
      `UPDATE confirmation_tokens SET expires_at = least(expires_at, now())
        WHERE subscriber_id = $1 AND new_email IS NOT NULL AND used_at IS NULL`,
      [subscriberId],
    );
  }

  async markUsed(manager: EntityManager, id: string): Promise<void> {
    await manager.update(ConfirmationToken, id, { usedAt: () => 'now()' });
  }

  async markMailed(id: string): Promise<void> {
    await this.dataSource.getRepository(ConfirmationToken).update(id, { mailedAt: () => 'now()' });
  }

  listOf(subscriberId: string, manager: EntityManager = this.dataSource.manager): Promise<ConfirmationTokenView[]> {
    return manager.query(
      `SELECT id, created_at AS "createdAt", expires_at AS "expiresAt", mailed_at AS "mailedAt", used_at AS "usedAt",
              new_email AS "newEmail"
       FROM confirmation_tokens WHERE subscriber_id = $1 ORDER BY created_at, id`,
      [subscriberId],
    );
  }
}
