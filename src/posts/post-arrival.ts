/**
 * How a feed post was first seen, which decides whether its date can be believed:
 * - `baseline`: on the first read of its feed. The feed's back catalogue: a dated post counts
 *   by its date, an undated one is never "this week".
 * - `backfill`: on an older page (RFC 5005, WordPress `?paged=`) read to cover the period.
 *   Its date counts as given.
 * - `head`: on the newest page of a feed already known. A post dated days before the feed's
 *   previous read was not there then: a republished archive, not news.
 */
export type PostArrival = 'baseline' | 'backfill' | 'head';

/** How far before the feed's previous read a new post's date may lie and still be news (clock skew, a post scheduled then published late). */
export const REPUBLISH_GRACE_DAYS = 3;
