import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { redactSecrets } from '../config/redact-secrets.js';
import type { FeedValidators } from './feed-fetcher.js';
import { Feed } from './feed.entity.js';
import { type FeedState, toFeedState } from './feed-state.js';
import { truncateText } from './plain-text.js';

/** A feed as the digest composer sees it. */
export interface FeedSource {
  id: string;
  /** For display: without the credentials it may carry. */
  url: string;
  /** Configured in FEED_URLS and enabled: its posts may go into digests. */
  active: boolean;
  /** Its place in FEED_URLS (-1 when removed): of two copies of one article, the earlier feed's is kept. */
  position: number;
  enabled: boolean;
  coveredSince: Date | null;
  lastSuccessAt: Date | null;
  /** The last error, while the feed is failing. */
  failing: string | null;
}

/** The feeds table: one row per FEED_URLS entry, holding the state of its last poll. */
@Injectable()
export class FeedsService {
  constructor(
    @InjectRepository(Feed) private readonly feeds: Repository<Feed>,
    private readonly config: AppConfig,
  ) {}

  /** The configured feeds, each with its row (created on first sight: the unique url makes this idempotent). */
  async configured(): Promise<Feed[]> {
    const urls = this.config.feeds.urls;
    if (!urls.length) return [];
    await this.feeds.query(`INSERT INTO feeds (url) SELECT DISTINCT unnest($1::text[]) ON CONFLICT (url) DO NOTHING`, [
      urls,
    ]);
    const rows = await this.feeds.findBy({ url: In(urls) });
    return urls.map((url) => rows.find((row) => row.url === url)).filter((row): row is Feed => !!row);
  }

  /** Every feed ever configured, configured ones first. */
  async states(): Promise<FeedState[]> {
    await this.configured();
    const rows = await this.feeds.find({ order: { createdAt: 'ASC', url: 'ASC' } });
    const urls = this.config.feeds.urls;
    return rows.map((row) => toFeedState(row, urls)).sort((a, b) => Number(b.configured) - Number(a.configured));
  }

  async state(id: string): Promise<FeedState> {
    return toFeedState(await this.feeds.findOneByOrFail({ id }), this.config.feeds.urls);
  }

  /**
   * Validators, coverage and warnings are replaced only by a 200 that was read in full; a 304
   * keeps them, since nothing changed.
   */
  async recordSuccess(
    id: string,
    outcome: { title?: string | null; validators?: FeedValidators; coveredSince?: Date; warning?: string | null },
  ): Promise<void> {
    await this.feeds.update(id, {
      lastPolledAt: () => 'now()',
      lastSuccessAt: () => 'now()',
      ...(outcome.title ? { title: truncateText(outcome.title, 500) } : {}),
      ...(outcome.validators ? { etag: outcome.validators.etag, lastModified: outcome.validators.lastModified } : {}),
      ...(outcome.coveredSince ? { coveredSince: outcome.coveredSince } : {}),
      ...(outcome.warning !== undefined
        ? { lastWarning: outcome.warning && truncateText(redactSecrets(outcome.warning), 2000) }
        : {}),
    });
  }

  /** Starts or stops a feed: a disabled feed is not polled and its posts leave digests, but stay stored. */
  async setEnabled(id: string, enabled: boolean): Promise<FeedState> {
    const result = await this.feeds.update(id, { enabled });
    if (!result.affected) throw new NotFoundException(`no feed has the id ${id}`);
    return this.state(id);
  }

  /** Every feed with what a digest needs to know of it: whether it counts, and how far back it was read. */
  async sources(): Promise<FeedSource[]> {
    const urls = this.config.feeds.urls;
    const rows = await this.feeds.find();
    return rows.map((row) => {
      const state = toFeedState(row, urls);
      return {
        id: row.id,
        url: state.url,
        active: row.enabled && urls.includes(row.url),
        position: urls.indexOf(row.url),
        enabled: row.enabled,
        coveredSince: row.coveredSince,
        lastSuccessAt: row.lastSuccessAt,
        failing: state.status === 'failing' ? state.lastError : null,
      };
    });
  }

  async recordFailure(id: string, reason: string): Promise<void> {
    await this.feeds.update(id, {
      lastPolledAt: () => 'now()',
      lastErrorAt: () => 'now()',
      lastError: truncateText(redactSecrets(reason), 2000),
    });
  }
}
