import { articleKey } from '../posts/canonical-url.js';
import type { FeedSource } from '../posts/feeds.service.js';
import { type PostArrival, REPUBLISH_GRACE_DAYS } from '../posts/post-arrival.js';
import type { ComposeNote } from './compose-note.js';
import type { DigestPostInput } from './digest-renderer.js';

/** A post of the period with what decides whether it is this week's news. */
export interface CandidatePost extends DigestPostInput {
  feedId: string | null;
  guid: string;
  undated: boolean;
  arrival: PostArrival | null;
  priorReadAt: Date | null;
  firstSeenAt: Date;
}

const DAY_MS = 86_400_000;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** Guids that name one article wherever it is offered (a permalink, a tag: or urn: URI), unlike "1" or "post-7". */
const GLOBAL_GUID = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The period's posts that are this week's news, in the order given (newest first), and a note
 * for each one left out. Manual posts are always news. A feed post is not when:
 * - its feed was removed from FEED_URLS or disabled (one note per feed);
 * - it has no readable date and came with its feed's back catalogue (first read, older page);
 * - it appeared at the head of a known feed dated days before that feed's previous read: a
 *   republished archive;
 * - it is an article already in the digest, offered by another feed (same link once tracking
 *   parameters are stripped, or same guid). Of two copies, the one of the feed listed first in
 *   FEED_URLS is kept (the main feed before a category feed).
 */
export function selectDigestPosts(
  candidates: CandidatePost[],
  feeds: FeedSource[],
): { posts: CandidatePost[]; notes: ComposeNote[] } {
  const byId = new Map(feeds.map((feed) => [feed.id, feed]));
  const posts: CandidatePost[] = [];
  const notes: ComposeNote[] = [];
  const inactive = new Map<string, number>();
  const seen = new Map<string, CandidatePost>();
  const leaveOut = (post: CandidatePost, why: string) =>
    notes.push({
      kind: 'left-out',
      postId: post.id,
      feedId: post.feedId ?? undefined,
      message: `"${post.title}" left out: ${why}`,
    });

  const rank = (post: CandidatePost) => {
    if (post.feedId === null) return -1;
    const position = byId.get(post.feedId)?.position ?? -1;
    return position < 0 ? Number.MAX_SAFE_INTEGER : position;
  };
  const ordered = candidates
    .map((post, index) => ({ post, index }))
    .sort(
      (a, b) =>
        b.post.publishedAt.getTime() - a.post.publishedAt.getTime() || rank(a.post) - rank(b.post) || a.index - b.index,
    );
  for (const { post } of ordered) {
    if (post.feedId !== null) {
      const feed = byId.get(post.feedId);
      if (!feed?.active) {
        inactive.set(post.feedId, (inactive.get(post.feedId) ?? 0) + 1);
        continue;
      }
      if (post.undated && post.arrival !== null && post.arrival !== 'head') {
        leaveOut(
          post,
          `it has no date Tidings could read and came with ${post.arrival === 'baseline' ? 'the first read of its feed' : 'an older page of its feed'}, so it belongs to the back catalogue, not to this week`,
        );
        continue;
      }
      if (
        post.arrival === 'head' &&
        !post.undated &&
        post.priorReadAt &&
        post.publishedAt.getTime() < post.priorReadAt.getTime() - REPUBLISH_GRACE_DAYS * DAY_MS
      ) {
        const days = Math.floor((post.firstSeenAt.getTime() - post.publishedAt.getTime()) / DAY_MS);
        leaveOut(
          post,
          `dated ${day(post.publishedAt)} but first seen in its feed on ${day(post.firstSeenAt)}, ${days} days later: a republished archive, not new`,
        );
        continue;
      }
    }
    const keys = [`link ${articleKey(post.url)}`, ...(GLOBAL_GUID.test(post.guid) ? [`guid ${post.guid}`] : [])];
    const twin = keys.map((key) => seen.get(key)).find(Boolean);
    if (twin) {
      leaveOut(post, `the same article as "${twin.title}" (${twin.url}), offered by another feed`);
      continue;
    }
    for (const key of keys) seen.set(key, post);
    posts.push(post);
  }
  for (const [feedId, count] of inactive) {
    const feed = byId.get(feedId);
    const why = !feed
      ? 'its feed no longer exists'
      : !feed.enabled
        ? `its feed ${feed.url} is disabled`
        : `its feed ${feed.url} is no longer in FEED_URLS`;
    notes.push({ kind: 'left-out', feedId, message: `${count} post(s) left out: ${why} (they stay in the archive)` });
  }
  return { posts, notes };
}

/** Feeds whose posts may not reach back over the whole period, and why. */
export function coverageNotes(
  feeds: FeedSource[],
  period: { start: Date; end: Date },
  maxPages: number,
): ComposeNote[] {
  const notes: ComposeNote[] = [];
  for (const feed of feeds.filter((candidate) => candidate.active)) {
    if (feed.failing && (!feed.lastSuccessAt || feed.lastSuccessAt < period.end)) {
      notes.push({
        kind: 'incomplete',
        feedId: feed.id,
        message: `the period may be incomplete: feed ${feed.url} failed at its last poll (${feed.failing}); posts since ${feed.lastSuccessAt ? feed.lastSuccessAt.toISOString() : 'ever'} may be missing`,
      });
    } else if (!feed.coveredSince) {
      notes.push({
        kind: 'incomplete',
        feedId: feed.id,
        message: `the period may be incomplete: feed ${feed.url} has never been read`,
      });
    } else if (feed.coveredSince > period.start) {
      notes.push({
        kind: 'incomplete',
        feedId: feed.id,
        message: `the period may be incomplete: feed ${feed.url} was read back to ${feed.coveredSince.toISOString()} only (FEED_MAX_PAGES=${maxPages}); posts published before then may be missing`,
      });
    }
  }
  return notes;
}
