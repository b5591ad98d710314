import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { redactSecrets } from '../config/redact-secrets.js';
import { FeedFetcher } from './feed-fetcher.js';
import { draftItems } from './feed-items.js';
import { readOlderPages } from './feed-pages.js';
import { FeedReadError } from './feed-read-error.js';
import { readFeed } from './feed-reader.js';
import type { FeedState } from './feed-state.js';
import type { Feed } from './feed.entity.js';
import { FeedsService } from './feeds.service.js';
import { htmlToPlainText } from './plain-text.js';
import { PostsService } from './posts.service.js';

/** What one feed's poll did. */
export interface FeedPollResult {
  feedId: string;
  url: string;
  outcome: 'read' | 'not-modified' | 'failed';
  created: number;
  updated: number;
  /** Items left out (no http(s) link, no title ...); each reason is logged. */
  skipped: number;
  /** Items left out because an earlier item of the same page had their guid. */
  duplicates: number;
  /** Pages read: the newest, then older ones to cover the period. */
  pages: number;
  error: string | null;
  /** What the read put up with: duplicate guids, an older page that failed, the page cap. */
  warnings: string[];
  state: FeedState;
}

export interface PollOptions {
  /** Read older pages until the posts reach back to here (the digest period's start). */
  since?: Date;
}

/** Without a period to cover, a poll reaches back a week and a day: the digest that comes next. */
const DEFAULT_COVERAGE_MS = 8 * 24 * 3_600_000;
const NO_VALIDATORS = { etag: null, lastModified: null };

/**
 * Reads every configured, enabled feed and upserts its posts. Each feed succeeds or fails alone:
 * a broken one records why and keeps its posts, the others are read all the same. Polling is
 * idempotent (the upsert is keyed on (feed_id, guid)), so the hourly cron, the digest's poll
 * right before composing and an operator's "poll now" may overlap, here or on another instance,
 * and still leave one set of posts.
 */
@Injectable()
export class FeedPoller {
  private readonly logger = new Logger(FeedPoller.name);
  private running: { since: Date; result: Promise<FeedPollResult[]> } | null = null;

  constructor(
    private readonly fetcher: FeedFetcher,
    private readonly feeds: FeedsService,
    private readonly posts: PostsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Polls every configured feed. A call made while a poll runs in this process shares its
   * result, unless it needs older posts than that poll reaches for: then it polls again after.
   */
  async pollAll(options: PollOptions = {}): Promise<FeedPollResult[]> {
    const since = options.since ?? new Date(Date.now() - DEFAULT_COVERAGE_MS);
    const current = this.running;
    if (current && current.since <= since) return current.result;
    const result = (current ? current.result.catch(() => undefined) : Promise.resolve()).then(() =>
      this.pollConfigured(since),
    );
    const entry = { since, result };
    this.running = entry;
    return result.finally(() => {
      if (this.running === entry) this.running = null;
    });
  }

  private async pollConfigured(since: Date): Promise<FeedPollResult[]> {
    const feeds = (await this.feeds.configured()).filter((feed) => feed.enabled);
    return Promise.all(feeds.map((feed) => this.pollOne(feed, since)));
  }

  private async pollOne(feed: Feed, since: Date): Promise<FeedPollResult> {
    const started = Date.now();
    // What logs and answers call the feed: its URL without the credentials it may carry.
    const shown = redactSecrets(feed.url);
    const counts = { created: 0, updated: 0, skipped: 0, duplicates: 0, pages: 0 };
    const warnings: string[] = [];
    let outcome: FeedPollResult['outcome'];
    let error: string | null = null;
    try {
      // Validators only when the stored posts already reach back far enough: a 304 says nothing
      // about the older pages a new, longer period needs.
      const coverageKnown = feed.coveredSince !== null && feed.coveredSince <= since;
      const fetched = await this.fetcher.fetch(
        feed.url,
        coverageKnown ? { etag: feed.etag, lastModified: feed.lastModified } : NO_VALIDATORS,
      );
      if (fetched.notModified) {
        outcome = 'not-modified';
        await this.feeds.recordSuccess(feed.id, {});
      } else {
        const first = {
          number: 1,
          url: fetched.url,
          read: readFeed(fetched.body, fetched.contentType, { url: fetched.url, bytes: fetched.bytes }),
        };
        const chain = await readOlderPages(this.fetcher, first, since, this.config.feeds.maxPages);
        const items = draftItems(chain.pages, feed.lastSuccessAt !== null);
        for (const reason of items.skipped) this.logger.warn(`feed ${shown}: ${redactSecrets(reason)}`);
        if (items.duplicateGuids.length) warnings.push(duplicatesWarning(items.duplicateGuids));
        warnings.push(...chain.warnings.map(redactSecrets));
        Object.assign(counts, {
          skipped: items.skipped.length,
          duplicates: items.duplicateGuids.length,
          pages: chain.pages.length,
        });
        Object.assign(counts, await this.posts.upsertFromFeed(feed.id, items.drafts, feed.lastSuccessAt));
        // Validators are stored only now: a body that failed above must be fetched again in full.
        await this.feeds.recordSuccess(feed.id, {
          title: htmlToPlainText(first.read.title),
          validators: fetched.validators,
          coveredSince: chain.coveredSince,
          warning: warnings.join('; ') || null,
        });
        outcome = 'read';
      }
      for (const warning of warnings) this.logger.warn(`feed ${shown}: ${warning}`);
      this.logger.log(
        `feed ${shown}: ${outcome}, ${counts.pages} page(s), ${counts.created} new, ${counts.updated} updated, ${counts.skipped} skipped, ${counts.duplicates} duplicate(s) in ${Date.now() - started} ms`,
      );
    } catch (caught) {
      outcome = 'failed';
      error =
        caught instanceof FeedReadError
          ? caught.message
          : redactSecrets(`unexpected error: ${(caught as Error)?.message ?? String(caught)}`);
      if (!(caught instanceof FeedReadError))
        this.logger.error(`feed ${shown}: ${redactSecrets((caught as Error)?.stack ?? String(caught))}`);
      this.logger.warn(`feed ${shown} failed, its posts are kept: ${error}`);
      await this.feeds
        .recordFailure(feed.id, error)
        .catch((recordError: unknown) =>
          this.logger.error(`feed ${shown}: could not record the failure: ${redactSecrets(String(recordError))}`),
        );
    }
    return {
      feedId: feed.id,
      url: shown,
      outcome,
      ...counts,
      error,
      warnings,
      state: await this.feeds.state(feed.id),
    };
  }
}

function duplicatesWarning(guids: string[]): string {
  const shown = guids.slice(0, 3).map((guid) => JSON.stringify(guid.length > 80 ? `${guid.slice(0, 77)}...` : guid));
  return `${guids.length} item(s) repeat the guid of an earlier item and were left out: ${shown.join(', ')}${guids.length > 3 ? ` and ${guids.length - 3} more` : ''}`;
}
