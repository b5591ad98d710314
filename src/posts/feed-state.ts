import type { Feed } from './feed.entity.js';

/** A feed as GET /admin/feeds shows it: where it is, whether it is read, and why not. */
export interface FeedState {
  id: string;
  url: string;
  title: string | null;
  /** False for a feed removed from FEED_URLS: its posts stay, it is no longer polled. */
  configured: boolean;
  status: 'ok' | 'failing' | 'never-polled';
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  /** The reason of the last failure; kept after a recovery, `status` says whether it still applies. */
  lastError: string | null;
}

export function toFeedState(feed: Feed, configuredUrls: string[]): FeedState {
  const failing = feed.lastErrorAt !== null && (feed.lastSuccessAt === null || feed.lastErrorAt > feed.lastSuccessAt);
  return {
    id: feed.id,
    url: feed.url,
    title: feed.title,
    configured: configuredUrls.includes(feed.url),
    status: failing ? 'failing' : feed.lastSuccessAt ? 'ok' : 'never-polled',
    lastPolledAt: feed.lastPolledAt,
    lastSuccessAt: feed.lastSuccessAt,
    lastErrorAt: feed.lastErrorAt,
    lastError: feed.lastError,
  };
}
