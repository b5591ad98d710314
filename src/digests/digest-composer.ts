import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { FeedPoller } from '../posts/feed-poller.js';
import { checkDigestForDelivery } from './digest-delivery-check.js';
import { Digest } from './digest.entity.js';
import type { DigestPeriod } from './digest-period.js';
import { type DigestDraft, type DigestPostInput, DigestRenderer, type RenderedDigest } from './digest-renderer.js';
import { DigestStatus } from './digest-status.js';

/** What a dry run would compose. Nothing of it is stored. */
export interface DigestDryRun {
  period: DigestPeriod;
  /** The digest already made for this period, if any: the real run would return it unchanged. */
  existingDigestId: string | null;
  draft: DigestDraft;
  rendered: RenderedDigest | null;
  problems: string[];
}

export interface ComposeOutcome {
  digest: Digest;
  /** False when the period already had its digest (another instance, or an earlier attempt of this job). */
  created: boolean;
}

/** Every composer on every instance queues behind this one transaction-scoped lock. */
const COMPOSE_LOCK = 'tidings:digest-compose';

/**
 * Turns a period's posts into a stored, rendered digest. Idempotent per period: under an advisory
 * lock it returns the period's existing digest, and the unique period and the one-live-digest
 * index on digest_posts back that up if the lock were ever bypassed.
 */
@Injectable()
export class DigestComposer {
  private readonly logger = new Logger(DigestComposer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly renderer: DigestRenderer,
    private readonly poller: FeedPoller,
    private readonly config: AppConfig,
  ) {}

  async compose(period: DigestPeriod, options: { refreshFeeds?: boolean } = {}): Promise<ComposeOutcome> {
    if (options.refreshFeeds ?? true) await this.refreshFeeds();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [COMPOSE_LOCK]);
      const existing = await manager.findOneBy(Digest, { periodStart: period.start, periodEnd: period.end });
      if (existing) return { digest: existing, created: false };
      const draft = await this.draft(manager, period);
      const digest = draft.posts.length ? await this.storeComposed(manager, draft) : await this.storeSkipped(manager, draft);
      this.logger.log(`digest ${digest.id} for ${period.start.toISOString()} to ${period.end.toISOString()}: ${digest.status}, ${digest.postCount} post(s), ${digest.moreCount} more`);
      return { digest, created: true };
    });
  }

  async reload(id: string): Promise<Digest> {
    return this.dataSource.getRepository(Digest).findOneByOrFail({ id });
  }

  /** Composes and renders without storing anything (feeds are refreshed only when asked, which stores posts, never a digest). */
  async dryRun(period: DigestPeriod, options: { refreshFeeds?: boolean } = {}): Promise<DigestDryRun> {
    if (options.refreshFeeds) await this.refreshFeeds();
    const manager = this.dataSource.manager;
    const existing = await manager.findOneBy(Digest, { periodStart: period.start, periodEnd: period.end });
    const draft = await this.draft(manager, period);
    const rendered = draft.posts.length ? await this.renderer.render(draft) : null;
    return { period, existingDigestId: existing?.id ?? null, draft, rendered, problems: rendered ? checkDigestForDelivery(rendered) : [] };
  }

  /**
   * The period's posts, newest first: published in [start, end) and not in the future, not
   * hidden, and not claimed by another live digest. The window count gives "N more" in one query.
   */
  private async draft(manager: EntityManager, period: DigestPeriod): Promise<DigestDraft> {
    const rows: (DigestPostInput & { total: string })[] = await manager.query(
      `SELECT p.id, p.url, p.title, p.summary, p.image_url AS "imageUrl", p.author, p.published_at AS "publishedAt",
              count(*) OVER () AS total
         FROM posts p
        WHERE NOT p.hidden
          AND p.published_at >= $1 AND p.published_at < $2 AND p.published_at <= now()
          AND NOT EXISTS (SELECT 1 FROM digest_posts dp WHERE dp.post_id = p.id AND dp.claims_post)
        ORDER BY p.published_at DESC, p.id
        LIMIT $3`,
      [period.start, period.end, this.config.digest.maxPosts],
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    const posts = rows.map(({ total: _total, ...post }) => post);
    return { id: randomUUID(), period, posts, moreCount: total - posts.length };
  }

  private async storeComposed(manager: EntityManager, draft: DigestDraft): Promise<Digest> {
    const rendered = await this.renderer.render(draft);
    const digest = manager.create(Digest, {
      id: draft.id,
      periodStart: draft.period.start,
      periodEnd: draft.period.end,
      status: DigestStatus.Composed,
      ...rendered,
      postCount: draft.posts.length,
      moreCount: draft.moreCount,
    });
    await manager.insert(Digest, digest);
    await manager.query(
      `INSERT INTO digest_posts (digest_id, post_id, position)
       SELECT $1, post_id, position FROM unnest($2::uuid[]) WITH ORDINALITY AS chosen (post_id, position)`,
      [draft.id, draft.posts.map((post) => post.id)],
    );
    return manager.findOneByOrFail(Digest, { id: draft.id });
  }

  private async storeSkipped(manager: EntityManager, draft: DigestDraft): Promise<Digest> {
    await manager.insert(Digest, { id: draft.id, periodStart: draft.period.start, periodEnd: draft.period.end, status: DigestStatus.Skipped });
    return manager.findOneByOrFail(Digest, { id: draft.id });
  }

  /** A feed that cannot be read must not cost the week its digest: compose from what is stored. */
  private async refreshFeeds(): Promise<void> {
    try {
      await this.poller.pollAll();
    } catch (error) {
      this.logger.warn(`feeds could not be refreshed before composing; using the posts already stored: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}
