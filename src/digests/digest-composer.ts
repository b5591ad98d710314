import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { FeedPoller } from '../posts/feed-poller.js';
import { FeedsService } from '../posts/feeds.service.js';
import type { ComposeNote } from './compose-note.js';
import { checkDigestForDelivery } from './digest-delivery-check.js';
import { renderWithinClip } from './digest-fit.js';
import { type CandidatePost, coverageNotes, selectDigestPosts } from './digest-selection.js';
import type { Digest } from './digest.entity.js';
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
  /** What the compose step left out, trimmed or doubts, as the digest record would keep it. */
  notes: ComposeNote[];
}

export interface ComposeOutcome {
  digest: Digest;
  /** False when the period already had its digest (another instance, or an earlier attempt of this job). */
  created: boolean;
}

/** Notes logged at compose; the digest record keeps them all. */
const LOGGED_NOTES = 20;
/** A week never has this many posts; the bound only keeps a mistaken period from loading the whole table. */
const MAX_CANDIDATES = 2_000;

const toPostInput = ({ id, url, title, summary, imageUrl, author, publishedAt }: CandidatePost): DigestPostInput => ({
  id,
  url,
  title,
  summary,
  imageUrl,
  author,
  publishedAt,
});

/**
 * Turns a period's posts into a stored, rendered digest. Idempotent per period: under an advisory
 * lock it returns the period's existing digest, and the unique period and the one-live-digest
 * index on digest_posts back that up if the lock were ever bypassed.
 */
@Injectable()
export class DigestComposer {
  private readonly logger = new Logger(DigestComposer.name);

  constructor(
    private readonly digests: DigestsRepository,
    private readonly renderer: DigestRenderer,
    private readonly poller: FeedPoller,
    private readonly feeds: FeedsService,
    private readonly config: AppConfig,
  ) {}

  async compose(period: DigestPeriod, options: { refreshFeeds?: boolean } = {}): Promise<ComposeOutcome> {
    if (options.refreshFeeds ?? true) await this.refreshFeeds(period);
    return this.digests.transaction(async (manager) => {
      await this.digests.lockCompose(manager);
      const existing = await this.digests.findByPeriod(period, manager);
      if (existing) return { digest: existing, created: false };
      const { draft, notes } = await this.draft(manager, period);
      const digest = draft.posts.length
        ? await this.storeComposed(manager, draft, notes)
        : await this.storeSkipped(manager, draft, notes);
      this.logger.log(
        `digest ${digest.id} for ${period.start.toISOString()} to ${period.end.toISOString()}: ${digest.status}, ${digest.postCount} post(s), ${digest.moreCount} more`,
      );
      for (const note of digest.composeNotes.slice(0, LOGGED_NOTES))
        this.logger.warn(`digest ${digest.id}: ${note.message}`);
      if (digest.composeNotes.length > LOGGED_NOTES)
        this.logger.warn(
          `digest ${digest.id}: ${digest.composeNotes.length - LOGGED_NOTES} more note(s) in its record`,
        );
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
    if (options.refreshFeeds) await this.refreshFeeds(period);
    const existing = await this.digests.findByPeriod(period);
    const selected = await this.draft(undefined, period);
    if (!selected.draft.posts.length)
      return {
        period,
        existingDigestId: existing?.id ?? null,
        draft: selected.draft,
        rendered: null,
        problems: [],
        notes: selected.notes,
      };
    const { draft, rendered, notes } = await renderWithinClip(this.renderer, selected.draft);
    return {
      period,
      existingDigestId: existing?.id ?? null,
      draft,
      rendered,
      problems: checkDigestForDelivery(rendered),
      notes: [...selected.notes, ...notes],
    };
  }

  /**
   * The period's news, newest first: posts published in [start, end) and not in the future, not
   * hidden, not claimed by another live digest, and this week's news by `selectDigestPosts`
   * (active feed, believable date, each article once). Capped at DIGEST_MAX_POSTS; the rest is
   * "N more". Notes say what was left out and which feeds may not cover the period.
   */
  private async draft(
    manager: EntityManager | undefined,
    period: DigestPeriod,
  ): Promise<{ draft: DigestDraft; notes: ComposeNote[] }> {
    const candidates = await this.digests.unclaimedPosts(period, MAX_CANDIDATES, manager);
    const feeds = await this.feeds.sources();
    const selected = selectDigestPosts(candidates, feeds);
    const shown = selected.posts.slice(0, this.config.digest.maxPosts).map(toPostInput);
    return {
      draft: { id: randomUUID(), period, posts: shown, moreCount: selected.posts.length - shown.length },
      notes: [...selected.notes, ...coverageNotes(feeds, period, this.config.feeds.maxPages)],
    };
  }

  private async storeComposed(
    manager: EntityManager,
    selected: DigestDraft,
    selectionNotes: ComposeNote[],
  ): Promise<Digest> {
    const { draft, rendered, notes } = await renderWithinClip(this.renderer, selected);
    return this.digests.insertComposed(
      manager,
      {
        id: draft.id,
        period: draft.period,
        content: rendered,
        moreCount: draft.moreCount,
        notes: [...selectionNotes, ...notes],
      },
      draft.posts.map((post) => post.id),
    );
  }

  private storeSkipped(manager: EntityManager, draft: DigestDraft, notes: ComposeNote[]): Promise<Digest> {
    return this.digests.insertSkipped(manager, draft.id, draft.period, notes);
  }

  /** A feed that cannot be read must not cost the week its digest: compose from what is stored. */
  private async refreshFeeds(period: DigestPeriod): Promise<void> {
    try {
      await this.poller.pollAll({ since: period.start });
    } catch (error) {
      this.logger.warn(
        `feeds could not be refreshed before composing; using the posts already stored: ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }
}
