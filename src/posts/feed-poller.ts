import { Injectable, Logger } from '@nestjs/common';
import { FeedFetcher } from './feed-fetcher.js';
import { FeedReadError } from './feed-read-error.js';
import { readFeed } from './feed-reader.js';
import type { FeedState } from './feed-state.js';
import type { Feed } from './feed.entity.js';
import { FeedsService } from './feeds.service.js';
import { htmlToPlainText } from './plain-text.js';
import { type PostDraft, toPostDraft } from './post-draft.js';
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
  error: string | null;
  state: FeedState;
}

/**
 * Reads every configured feed and upserts its posts. Each feed succeeds or fails alone: a broken
 * one records why and keeps its posts, the others are read all the same. Polling is idempotent
 * (the upsert is keyed on (feed_id, guid)), so the hourly cron, the digest's poll right before
 * composing and an operator's "poll now" may overlap, here or on another instance, and still
 * leave one set of posts.
 */
@Injectable()
export class FeedPoller {
  private readonly logger = new Logger(FeedPoller.name);
  private running: Promise<FeedPollResult[]> | null = null;

  constructor(
    private readonly fetcher: FeedFetcher,
    private readonly feeds: FeedsService,
    private readonly posts: PostsService,
  ) {}

  /** Polls every configured feed; a call made while a poll runs in this process shares its result. */
  async pollAll(): Promise<FeedPollResult[]> {
    this.running ??= this.pollConfigured().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pollConfigured(): Promise<FeedPollResult[]> {
    const feeds = await this.feeds.configured();
    return Promise.all(feeds.map((feed) => this.pollOne(feed)));
  }

  private async pollOne(feed: Feed): Promise<FeedPollResult> {
    const started = Date.now();
    const counts = { created: 0, updated: 0, skipped: 0 };
    let outcome: FeedPollResult['outcome'];
    let error: string | null = null;
    try {
      const fetched = await this.fetcher.fetch(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
      if (fetched.notModified) {
        outcome = 'not-modified';
        await this.feeds.recordSuccess(feed.id, {});
      } else {
        const read = readFeed(fetched.body, fetched.contentType);
        const drafts: PostDraft[] = [];
        for (const entry of read.entries) {
          const result = toPostDraft(entry, fetched.url);
          if (result.ok) drafts.push(result.draft);
          else this.logger.warn(`feed ${feed.url}: ${result.reason}`);
        }
        counts.skipped = read.entries.length - drafts.length;
        Object.assign(counts, await this.posts.upsertFromFeed(feed.id, drafts));
        // Validators are stored only now: a body that failed above must be fetched again in full.
        await this.feeds.recordSuccess(feed.id, { title: htmlToPlainText(read.title), validators: fetched.validators });
        outcome = 'read';
      }
      this.logger.log(`feed ${feed.url}: ${outcome}, ${counts.created} new, ${counts.updated} updated, ${counts.skipped} skipped in ${Date.now() - started} ms`);
    } catch (caught) {
      outcome = 'failed';
      error = caught instanceof FeedReadError ? caught.message : `unexpected error: ${(caught as Error)?.message ?? String(caught)}`;
      if (!(caught instanceof FeedReadError)) this.logger.error(`feed ${feed.url}: ${(caught as Error)?.stack ?? String(caught)}`);
      this.logger.warn(`feed ${feed.url} failed, its posts are kept: ${error}`);
      await this.feeds.recordFailure(feed.id, error).catch((recordError: unknown) => this.logger.error(`feed ${feed.url}: could not record the failure: ${String(recordError)}`));
    }
    return { feedId: feed.id, url: feed.url, outcome, ...counts, error, state: await this.feeds.state(feed.id) };
  }
}
