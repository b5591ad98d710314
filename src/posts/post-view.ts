import type { PostArrival } from './post-arrival.js';

/** A post as the admin API shows it. */
export interface PostView {
  id: string;
  feedId: string | null;
  guid: string;
  url: string;
  title: string;
  summary: string;
  imageUrl: string | null;
  author: string | null;
  categories: string[];
  publishedAt: Date;
  firstSeenAt: Date;
  updatedAt: Date;
  hidden: boolean;
  /** The feed gave no readable date: `publishedAt` is the first-seen time. */
  undated: boolean;
  /** How a feed post was first seen (baseline, backfill, head), which decides whether its date is believed; null for manual posts. */
  arrival: PostArrival | null;
  /** Dated in the future: stored now, left out of digests until its date comes. */
  scheduled: boolean;
}

/** The columns of a `PostView`, for raw SQL on `posts`. */
export const POST_VIEW_COLUMNS = `id, feed_id AS "feedId", guid, url, title, summary, image_url AS "imageUrl", author, categories,
  published_at AS "publishedAt", first_seen_at AS "firstSeenAt", updated_at AS "updatedAt", hidden, undated, arrival,
  published_at > now() AS scheduled`;
