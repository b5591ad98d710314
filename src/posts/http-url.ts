import { POST_LIMITS } from './posts.constants.js';

/**
 * `raw` as an absolute http(s) URL (resolved against `base` when relative), or null. Anything
 * else a feed might put in a link (javascript:, data:, mailto:, file:) is dropped, and so are
 * credentials: a link in a digest must never carry a password to every subscriber.
 */
export function toHttpUrl(raw: unknown, base?: string | null): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.username = '';
  url.password = '';
  // A cut URL points somewhere else, so an overlong one is dropped rather than truncated.
  return url.href.length <= POST_LIMITS.url ? url.href : null;
}
