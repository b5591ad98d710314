import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor, keysetTime } from '../common/keyset-cursor.js';
import type { ArrivingDraft } from './feed-items.js';
import type { PostDraft } from './post-draft.js';
import { POST_VIEW_COLUMNS, type PostView } from './post-view.js';
import { POST_PAGE } from './posts.constants.js';

export interface PostFilter {
  from?: string;
  to?: string;
  feedId?: string;
  hidden?: boolean;
  limit?: number;
  cursor?: string;
}

export interface PostPage {
  items: PostView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Posts in PostgreSQL: the feed upsert, and what the admin API does with them. */
@Injectable()
export class PostsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts new posts and updates edited ones, in one statement. A post's hidden flag, first-seen
   * time and arrival (how it was first seen, with the feed's previous read `priorReadAt`) are
   * never touched, and a post that has left the feed stays. An undated post keeps the first-seen
   * time it got on insert. Rows that did not change are not written, so `updated_at` means "last
   * edited in the feed".
   */
  async upsertFromFeed(
    feedId: string,
    drafts: ArrivingDraft[],
    priorReadAt: Date | null,
  ): Promise<{ created: number; updated: number }> {
    // One statement may not update the same row twice: a feed repeating a guid keeps its first item.
    const byGuid = new Map<string, ArrivingDraft>();
    for (const draft of drafts) if (!byGuid.has(draft.guid)) byGuid.set(draft.guid, draft);
    if (!byGuid.size) return { created: 0, updated: 0 };
    const rows: { inserted: boolean }[] = await this.dataSource.query(
      `INSERT INTO posts AS p (feed_id, guid, url, title, summary, image_url, author, categories, published_at, undated, arrival, prior_read_at)
       SELECT $1, d.guid, d.url, d.title, d.summary, d.image_url, d.author, d.categories, COALESCE(d.published_at, old.published_at, now()),
              d.published_at IS NULL AND COALESCE(old.undated, true), d.arrival, CASE WHEN d.arrival = 'head' THEN $3::timestamptz END
         FROM jsonb_to_recordset($2::jsonb)
           AS d(guid text, url text, title text, summary text, image_url text, author text, categories text[], published_at timestamptz, arrival text)
         LEFT JOIN posts old ON old.feed_id = $1 AND old.guid = d.guid
       ON CONFLICT (feed_id, guid) DO UPDATE
         SET url = EXCLUDED.url, title = EXCLUDED.title, summary = EXCLUDED.summary, image_url = EXCLUDED.image_url,
             author = EXCLUDED.author, categories = EXCLUDED.categories, published_at = EXCLUDED.published_at,
             undated = EXCLUDED.undated, updated_at = now()
         WHERE (p.url, p.title, p.summary, p.image_url, p.author, p.categories, p.published_at, p.undated)
           IS DISTINCT FROM (EXCLUDED.url, EXCLUDED.title, EXCLUDED.summary, EXCLUDED.image_url, EXCLUDED.author, EXCLUDED.categories, EXCLUDED.published_at, EXCLUDED.undated)
       RETURNING (xmax = 0) AS inserted`,
      [feedId, JSON.stringify([...byGuid.values()].map(toRecord)), priorReadAt],
    );
    const created = rows.filter((row) => row.inserted).length;
    return { created, updated: rows.length - created };
  }

  /** Newest first, hidden and future-dated posts included (the admin sees everything). */
  async list(filter: PostFilter): Promise<PostPage> {
    const limit = Math.min(filter.limit ?? POST_PAGE.defaultLimit, POST_PAGE.maxLimit);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.from) where.push(`published_at >= ${param(filter.from)}::timestamptz`);
    if (filter.to) where.push(`published_at < ${param(filter.to)}::timestamptz`);
    if (filter.feedId) where.push(`feed_id = ${param(filter.feedId)}::uuid`);
    if (filter.hidden !== undefined) where.push(`hidden = ${param(filter.hidden)}`);
    if (filter.cursor) {
      const cursor = decodeKeysetCursor(filter.cursor);
      where.push(`(published_at, id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const rows: (PostView & { cursorAt: string })[] = await this.dataSource.query(
      `SELECT ${POST_VIEW_COLUMNS}, ${keysetTime('published_at')} AS "cursorAt" FROM posts
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY published_at DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(({ cursorAt: _, ...view }) => view),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor({ at: last.cursorAt, id: last.id }) : null,
    };
  }

  /** A post typed in by hand (a blog without a feed). Its URL is its identity among manual posts. */
  async addManual(draft: PostDraft): Promise<PostView> {
    const [row]: PostView[] = await this.dataSource.query(
      `INSERT INTO posts (feed_id, guid, url, title, summary, image_url, author, categories, published_at)
       VALUES (NULL, $1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (feed_id, guid) DO NOTHING
       RETURNING ${POST_VIEW_COLUMNS}`,
      [
        draft.guid,
        draft.url,
        draft.title,
        draft.summary,
        draft.imageUrl,
        draft.author,
        draft.categories,
        draft.publishedAt,
      ],
    );
    if (!row) throw new ConflictException(`a post with the url ${draft.url} has already been added by hand`);
    return row;
  }

  async setHidden(id: string, hidden: boolean): Promise<PostView> {
    const [rows]: [PostView[], number] = await this.dataSource.query(
      `UPDATE posts SET hidden = $2 WHERE id = $1 RETURNING ${POST_VIEW_COLUMNS}`,
      [id, hidden],
    );
    if (!rows[0]) throw new NotFoundException(`no post has the id ${id}`);
    return rows[0];
  }
}

function toRecord(draft: ArrivingDraft) {
  return {
    guid: draft.guid,
    url: draft.url,
    title: draft.title,
    summary: draft.summary,
    image_url: draft.imageUrl,
    author: draft.author,
    categories: draft.categories,
    published_at: draft.publishedAt?.toISOString() ?? null,
    arrival: draft.arrival,
  };
}
