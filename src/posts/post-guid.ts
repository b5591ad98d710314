import { createHash } from 'node:crypto';
import { POST_LIMITS } from './posts.constants.js';

/**
 * The identity of a feed item within its feed: the feed's own id (guid, Atom id, JSON Feed id,
 * rdf:about) when it has one, else the item's link. An id too long for the column is replaced
 * by its hash rather than cut, since two cut ids could collide. Null when the item has neither.
 */
export function chooseGuid(feedId: unknown, link: string | null): string | null {
  const id = typeof feedId === 'number' ? String(feedId) : typeof feedId === 'string' ? feedId.trim() : '';
  const chosen = id || link;
  if (!chosen) return null;
  return chosen.length <= POST_LIMITS.guid ? chosen : `sha256:${createHash('sha256').update(chosen).digest('hex')}`;
}
