import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the digest needs to know about how a post arrived, and what an operator needs to know
 * about a feed beyond its last error:
 * - feeds.enabled: an operator can stop a feed without removing it from FEED_URLS;
 * - feeds.covered_since: how far back the last read reached (older pages included), so that
 *   a digest can say when its period may be incomplete; 1970-01-01 when the whole feed was read;
 * - feeds.last_warning: what the last read put up with (items sharing a guid, a page that failed);
 * - posts.undated: the feed gave no readable date, so published_at is the first-seen time;
 * - posts.arrival: 'baseline' (first read of its feed), 'backfill' (an older page) or 'head'
 *   (the newest page of a feed already known); NULL for manual posts and posts stored before;
 * - posts.prior_read_at: for a 'head' post, the feed's previous successful read, against which
 *   a republished archive (dated days before it) is recognised.
 */
export class FeedReadingState1764000006000 implements MigrationInterface {
  name = 'FeedReadingState1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE feeds ADD COLUMN enabled boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE feeds ADD COLUMN covered_since timestamptz`);
    await q.query(`ALTER TABLE feeds ADD COLUMN last_warning text CHECK (char_length(last_warning) <= 2000)`);
    await q.query(`ALTER TABLE posts ADD COLUMN undated boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE posts ADD COLUMN arrival text CHECK (arrival IN ('baseline', 'backfill', 'head'))`);
    await q.query(`ALTER TABLE posts ADD COLUMN prior_read_at timestamptz`);
    await q.query(
      `ALTER TABLE posts ADD CONSTRAINT posts_arrival_feed_check CHECK (arrival IS NULL OR feed_id IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE posts DROP CONSTRAINT posts_arrival_feed_check`);
    await q.query(`ALTER TABLE posts DROP COLUMN prior_read_at, DROP COLUMN arrival, DROP COLUMN undated`);
    await q.query(`ALTER TABLE feeds DROP COLUMN last_warning, DROP COLUMN covered_since, DROP COLUMN enabled`);
  }
}
