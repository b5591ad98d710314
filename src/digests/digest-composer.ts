import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { FeedPoller } from '../posts/feed-poller.js';
import { checkDigestForDelivery } from './digest-delivery-check.js';
import { Digest } from './digest.entity.js';
import type { DigestPeriod } from './digest-period.js';
import { type DigestDraft, type DigestPostInput, DigestRenderer, type RenderedDigest } from './digest-renderer.js';
import { DigestNotFoundError } from './digest-errors.js';
import { DigestsRepository } from './digests.repository.js';

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
    private readonly digests: DigestsRepository,
    private readonly renderer: DigestRenderer,
    private readonly poller: FeedPoller,
    private readonly config: AppConfig,
  ) {}

  async compose(period: DigestPeriod, options: { refreshFeeds?: boolean } = {}): Promise<ComposeOutcome> {
    if (options.refreshFeeds ?? true) await this.refreshFeeds();
    return this.digests.transaction(async (manager) => {
      await this.digests.lockCompose(manager);
      const existing = await this.digests.findByPeriod(period, manager);
      if (existing) return { digest: existing, created: false };
      const draft = await this.draft(manager, period);
      const digest = draft.posts.length ? await this.storeComposed(manager, draft) : await this.storeSkipped(manager, draft);
      this.logger.log(`digest ${digest.id} for ${period.start.toISOString()} to ${period.end.toISOString()}: ${digest.status}, ${digest.postCount} post(s), ${digest.moreCount} more`);
      return { digest, created: true };
    });
  }

  async reload(id: string): Promise<Digest> {
    const digest = await this.digests.findById(id);
    if (!digest) throw new DigestNotFoundError(id);
    return digest;
  }

  /** Composes and renders without storing anything (feeds are refreshed only when asked, which stores posts, never a digest). */
  async dryRun(period: DigestPeriod, options: { refreshFeeds?: boolean } = {}): Promise<DigestDryRun> {
    if (options.refreshFeeds) await this.refreshFeeds();
    const existing = await this.digests.findByPeriod(period);
    const draft = await this.draft(this.dataSource.manager, period);
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
    const content = await this.renderer.render(draft);
    return this.digests.insertComposed(
      manager,
      { id: draft.id, period: draft.period, content, moreCount: draft.moreCount },
      draft.posts.map((post) => post.id),
    );
  }

  private storeSkipped(manager: EntityManager, draft: DigestDraft): Promise<Digest> {
    return this.digests.insertSkipped(manager, draft.id, draft.period);
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
