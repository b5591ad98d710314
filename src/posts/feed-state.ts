import { redactSecrets } from '../config/redact-secrets.js';
import type { Feed } from './feed.entity.js';

/** A feed as GET /admin/feeds shows it: where it is, whether it is read, and why not. */
export interface FeedState {
  id: string;
  url: string;
  title: string | null;
  /** False for a feed removed from FEED_URLS: its posts stay, it is no longer polled and leaves digests. */
  configured: boolean;
  /** False once an operator disabled it: the same, without editing FEED_URLS. */
  enabled: boolean;
  status: 'ok' | 'failing' | 'never-polled';
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastErrorAt: Date | null;
  /** The reason of the last failure; kept after a recovery, `status` says whether it still applies. */
  lastError: string | null;
  /** What the last read put up with: items sharing a guid, an older page that failed, the page cap. */
  lastWarning: string | null;
  /** The feed's posts are known complete back to here (1970: the whole feed was read). */
  coveredSince: Date | null;
}

/** Shown without the credentials a configured URL may carry, in the URL and in what was recorded from before they were masked. */
export function toFeedState(feed: Feed, configuredUrls: string[]): FeedState {
  const failing = feed.lastErrorAt !== null && (feed.lastSuccessAt === null || feed.lastErrorAt > feed.lastSuccessAt);
  return {
    id: feed.id,
    url: redactSecrets(feed.url),
    title: feed.title,
    configured: configuredUrls.includes(feed.url),
    enabled: feed.enabled,
    status: failing ? 'failing' : feed.lastSuccessAt ? 'ok' : 'never-polled',
    lastPolledAt: feed.lastPolledAt,
    lastSuccessAt: feed.lastSuccessAt,
    lastErrorAt: feed.lastErrorAt,
    lastError: feed.lastError && redactSecrets(feed.lastError),
    lastWarning: feed.lastWarning && redactSecrets(feed.lastWarning),
    coveredSince: feed.coveredSince,
  };
}
