import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type KeysetCursor, keysetTime } from '../common/keyset-cursor.js';
import type { ComposeNote } from './compose-note.js';
import { Digest } from './digest.entity.js';
import type { CandidatePost } from './digest-selection.js';
import type { DigestPeriod } from './digest-period.js';
import { DigestStatus } from './digest-status.js';
import type { DigestPostView } from './digest-view.js';

/** Every composer on every instance queues behind this one transaction-scoped lock. */
const COMPOSE_LOCK = 'tidings:digest-compose';

export interface DigestContent {
  subject: string;
  preheader: string | null;
  html: string;
  text: string;
}

/** The state transitions of a send, as the delivery feature asks for them. */
export interface SendingStart {
  frozenAt: Date;
  /** True when a fan-out that stopped midway is being resumed. */
  resumed: boolean;
}

/**
 * The one owner of the `digests` and `digest_posts` tables: every statement that writes them,
 * and the bulk reads. Each state change is one conditional UPDATE, so a concurrent action loses
 * cleanly (it changes nothing and the caller learns so from the returned count).
 */
@Injectable()
export class DigestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Digest | null> {
    return manager.findOneBy(Digest, { id });
  }

  findByPeriod(period: DigestPeriod, manager: EntityManager = this.dataSource.manager): Promise<Digest | null> {
    return manager.findOneBy(Digest, { periodStart: period.start, periodEnd: period.end });
  }

  /** Serialises composing across instances until the caller's transaction ends. */
  async lockCompose(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [COMPOSE_LOCK]);
  }

  async insertComposed(
    manager: EntityManager,
    digest: { id: string; period: DigestPeriod; content: DigestContent; moreCount: number; notes: ComposeNote[] },
    postIds: string[],
  ): Promise<Digest> {
    const { id, period, content, moreCount, notes } = digest;
    await manager.insert(Digest, {
      id,
      periodStart: period.start,
      periodEnd: period.end,
      status: DigestStatus.Composed,
      ...content,
      postCount: postIds.length,
      moreCount,
      composeNotes: notes,
    });
    await manager.query(
      `INSERT INTO digest_posts (digest_id, post_id, position)
       SELECT $1, post_id, position FROM unnest($2::uuid[]) WITH ORDINALITY AS chosen (post_id, position)`,
      [id, postIds],
    );
    return manager.findOneByOrFail(Digest, { id });
  }

  async insertSkipped(manager: EntityManager, id: string, period: DigestPeriod, notes: ComposeNote[]): Promise<Digest> {
    await manager.insert(Digest, {
      id,
      periodStart: period.start,
      periodEnd: period.end,
      status: DigestStatus.Skipped,
      composeNotes: notes,
    });
    return manager.findOneByOrFail(Digest, { id });
  }

  /**
   * The period's candidate posts, newest first: published in [start, end) and not in the future,
   * not hidden, and not claimed by another live digest. Which of them are this week's news is the
   * composer's decision (digest-selection.ts).
   */
  unclaimedPosts(
    period: DigestPeriod,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CandidatePost[]> {
    return manager.query(
      `SELECT p.id, p.url, p.title, p.summary, p.image_url AS "imageUrl", p.author, p.published_at AS "publishedAt",
              p.feed_id AS "feedId", p.guid, p.undated, p.arrival, p.prior_read_at AS "priorReadAt", p.first_seen_at AS "firstSeenAt"
         FROM posts p
        WHERE NOT p.hidden
          AND p.published_at >= $1 AND p.published_at < $2 AND p.published_at <= now()
          AND NOT EXISTS (SELECT 1 FROM digest_posts dp WHERE dp.post_id = p.id AND dp.claims_post)
        ORDER BY p.published_at DESC, p.id
        LIMIT $3`,
      [period.start, period.end, limit],
    );
  }

  /** Newest period first, keyset-paged on (period_end, id). */
  async page(limit: number, after: KeysetCursor | null): Promise<Array<Digest & { cursorAt: string }>> {
    const builder = this.dataSource
      .getRepository(Digest)
      .createQueryBuilder('d')
      .addSelect(keysetTime('d.period_end'), 'cursor_at')
      .orderBy('d.period_end', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit + 1);
    if (after) builder.where('(d.period_end, d.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', after);
    const { entities, raw } = await builder.getRawAndEntities<{ cursor_at: string; d_id: string }>();
    const cursorOf = new Map(raw.map((row) => [row.d_id, row.cursor_at]));
    return entities.map((digest) => Object.assign(digest, { cursorAt: cursorOf.get(digest.id)! }));
  }

  postsOf(id: string): Promise<DigestPostView[]> {
    return this.dataSource.query(
      `SELECT dp.position, p.id, p.title, p.url, to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "publishedAt"
         FROM digest_posts dp JOIN posts p ON p.id = dp.post_id
        WHERE dp.digest_id = $1 ORDER BY dp.position`,
      [id],
    );
  }

  async holdComposed(id: string, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(Digest)
      .update({ id, status: DigestStatus.Composed }, { holdReason: reason.slice(0, 2000) });
  }

  /** composed -> approved; false when it was not composed any more. */
  async approve(id: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET status = 'approved', approved_at = now(), hold_reason = NULL WHERE id = $1 AND status = 'composed'`,
      [id],
    );
  }

  /** composed or approved -> cancelled, before any copy was sent. */
  async cancelUnreleased(id: string, note: string | null): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET status = 'cancelled', cancelled_at = now(), hold_reason = COALESCE($2, hold_reason)
        WHERE id = $1 AND status IN ('composed', 'approved')`,
      [id, note],
    );
  }

  /**
   * approved -> sending, freezing the subscribers at this instant; or the freezing instant of a
   * fan-out that stopped midway. Null when the digest is neither.
   */
  async startSending(id: string): Promise<SendingStart | null> {
    const [[started]] = await this.dataSource.query<[Array<{ subscribers_frozen_at: Date }>, number]>(
      `UPDATE digests SET status = 'sending', sending_at = now(), subscribers_frozen_at = now()
       WHERE id = $1 AND status = 'approved' RETURNING subscribers_frozen_at`,
      [id],
    );
    if (started) return { frozenAt: started.subscribers_frozen_at, resumed: false };
    const [unfinished] = await this.dataSource.query<Array<{ subscribers_frozen_at: Date }>>(
      `SELECT subscribers_frozen_at FROM digests WHERE id = $1 AND status = 'sending' AND fanned_out_at IS NULL`,
      [id],
    );
    return unfinished ? { frozenAt: unfinished.subscribers_frozen_at, resumed: true } : null;
  }

  async markFannedOut(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE digests SET fanned_out_at = now() WHERE id = $1 AND fanned_out_at IS NULL`, [
      id,
    ]);
  }

  /** sending -> sent once the fan-out is complete and no delivery is queued, sending or retrying. */
  async markSentIfDone(id: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET status = 'sent', sent_at = coalesce(sent_at, now())
       WHERE id = $1 AND status = 'sending' AND fanned_out_at IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM digest_delivery_counts WHERE digest_id = $1 AND status IN ('queued', 'sending', 'retrying') AND count > 0)`,
      [id],
    );
  }

  async pause(id: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET paused_at = now() WHERE id = $1 AND status = 'sending' AND paused_at IS NULL`,
      [id],
    );
  }

  /** The send paused itself (bounce or complaint rate): the reason stays on the digest until it resumes. */
  async pauseAutomatically(id: string, reason: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET paused_at = now(), pause_reason = $2 WHERE id = $1 AND status = 'sending' AND paused_at IS NULL`,
      [id, reason],
    );
  }

  async resume(id: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET paused_at = NULL, pause_reason = NULL WHERE id = $1 AND status = 'sending' AND paused_at IS NOT NULL`,
      [id],
    );
  }

  /** sending -> cancelled, inside the caller's transaction (its queued deliveries are skipped there too). */
  async cancelSending(manager: EntityManager, id: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET status = 'cancelled', cancelled_at = now(), paused_at = NULL WHERE id = $1 AND status = 'sending'`,
      [id],
      manager,
    );
  }

  /**
   * sending or sent -> sending again, for retry-failed; the caller's transaction flags the one
   * allowed way back. The sent date stays: it is when the digest went out, which a retry of a
   * few failed copies does not change (the archive is ordered by it).
   */
  async reopenForRetry(manager: EntityManager, id: string): Promise<boolean> {
    return this.changed(
      `UPDATE digests SET status = 'sending' WHERE id = $1 AND status IN ('sending', 'sent')`,
      [id],
      manager,
    );
  }

  /** Released but never fanned out (the job was lost, or the process died first), or fanned out only part way. */
  async strandedIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM digests WHERE status = 'approved' AND approved_at < now() - interval '1 minute'
       OR status = 'sending' AND fanned_out_at IS NULL AND sending_at < now() - interval '1 minute'`,
    );
    return rows.map((row) => row.id);
  }

  async sendingIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM digests WHERE status = 'sending' AND paused_at IS NULL ORDER BY sending_at`,
    );
    return rows.map((row) => row.id);
  }

  /** The id of the digest whose send started last, if any. */
  async lastStartedId(): Promise<string | null> {
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM digests WHERE sending_at IS NOT NULL ORDER BY sending_at DESC LIMIT 1`,
    );
    return row?.id ?? null;
  }

  private async changed(
    sql: string,
    params: unknown[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [, count] = await manager.query<[unknown[], number]>(sql, params);
    return Number(count) > 0;
  }
}
