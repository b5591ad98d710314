import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type KeysetCursor, keysetTime } from '../common/keyset-cursor.js';
import type { DigestPostInput } from './digest-renderer.js';

/** A digest of the public archive: one that went out, to everyone or (still sending, or cancelled midway) to some. */
export interface PublishedDigest {
  id: string;
  subject: string | null;
  preheader: string | null;
  postCount: number;
  moreCount: number;
  periodStart: Date;
  periodEnd: Date;
  /** When it went out: the end of the send, or its start while it is still going (or was cancelled). */
  publishedAt: Date;
}

/** A post of a published digest, with the digest it belongs to. */
export type PublishedPost = DigestPostInput & { digestId: string };

const PUBLISHED = `(d.status IN ('sending', 'sent') OR d.status = 'cancelled' AND EXISTS (
  SELECT 1 FROM digest_delivery_counts c WHERE c.digest_id = d.id AND c.status = 'sent' AND c.count > 0))`;
const PUBLISHED_AT = 'coalesce(d.sent_at, d.sending_at)';
const COLUMNS = `d.id, d.subject, d.preheader, d.post_count AS "postCount", d.more_count AS "moreCount",
  d.period_start AS "periodStart", d.period_end AS "periodEnd", ${PUBLISHED_AT} AS "publishedAt"`;

/**
 * The reads of the public archive (pages and Atom feed). It writes nothing: `digests.repository.ts`
 * stays the one writer of the digests tables. Every digest at least one subscriber may have
 * received is public, so a "View in your browser" link works from the first copy of a send; a
 * sending digest's content is frozen (digests_guard), so showing it early shows what was sent.
 */
@Injectable()
export class DigestArchiveRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, keyset-paged on (published at, id). */
  list(limit: number, before: KeysetCursor | null): Promise<Array<PublishedDigest & { cursorAt: string }>> {
    const params: unknown[] = [limit];
    const keyset = before
      ? `AND (${PUBLISHED_AT}, d.id) < ($${params.push(before.at)}::timestamptz, $${params.push(before.id)}::uuid)`
      : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS}, ${keysetTime(PUBLISHED_AT)} AS "cursorAt"
         FROM digests d WHERE d.html IS NOT NULL AND ${PUBLISHED} ${keyset}
        ORDER BY ${PUBLISHED_AT} DESC, d.id DESC LIMIT $1`,
      params,
    );
  }

  async find(id: string): Promise<PublishedDigest | undefined> {
    const [row] = await this.dataSource.query<PublishedDigest[]>(
      `SELECT ${COLUMNS} FROM digests d WHERE d.id = $1 AND d.html IS NOT NULL AND ${PUBLISHED}`,
      [id],
    );
    return row;
  }

  /**
   * The posts of these digests in their order, as they read now (a feed may have corrected a
   * title since). A post an operator has hidden since is left out of the public pages.
   */
  posts(digestIds: string[]): Promise<PublishedPost[]> {
    return this.dataSource.query(
      `SELECT dp.digest_id AS "digestId", p.id, p.url, p.title, p.summary, p.image_url AS "imageUrl", p.author,
              p.published_at AS "publishedAt"
         FROM digest_posts dp JOIN posts p ON p.id = dp.post_id
        WHERE dp.digest_id = ANY($1::uuid[]) AND NOT p.hidden
        ORDER BY dp.digest_id, dp.position`,
      [digestIds],
    );
  }
}
