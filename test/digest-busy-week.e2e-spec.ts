import { DigestReleaseHooks } from '../src/digests/digest-release-hooks.js';
import { GMAIL_CLIP_BYTES, checkDigestForDelivery } from '../src/digests/digest-delivery-check.js';
import { WeeklyDigestService } from '../src/digests/weekly-digest.service.js';
import { RecordingListener } from './fixtures/digests/posts.js';
import { FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';
import { dryRun, FIXTURE_WEEK } from './support/week.js';

const TOKEN = 'w'.repeat(40);
const week = { start: new Date(FIXTURE_WEEK.periodStart), end: new Date(FIXTURE_WEEK.periodEnd) };
const slugOf = (url: string) => /\/2025\/11\/([^/]+)-2026\/$/.exec(url)![1];

/**
 * A week of forty posts with images and DIGEST_MAX_POSTS=50: every card would make the HTML part
 * far larger than Gmail's 102 KB clip. The composer fits the digest under it with fewer cards and
 * "N more on the blog", records the trim, and the digest is released like any other.
 */
describe('a busy week', () => {
  let feeds: FeedServer;
  let app: TestApp;
  const listener = new RecordingListener();

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.serve('/feed/', feedResponse(feedFixture('week/busy-week.rss.xml')));
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN, DIGEST_MAX_POSTS: '50', FEED_URLS: feeds.url('/feed/') } });
    app.get(DigestReleaseHooks).register(listener);
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  it('shows in a dry run which cards fit, newest first with their images, and how many go to the blog link', async () => {
    const run = await dryRun(app, TOKEN, { ...FIXTURE_WEEK, refreshFeeds: true });
    expect(run.problems).toEqual([]);
    const shown = run.posts.length;
    expect(shown).toBeGreaterThanOrEqual(15);
    expect(shown).toBeLessThan(40);
    expect(run.moreCount).toBe(40 - shown);
    expect(run.posts.map((post) => post.imageUrl)).toEqual(
      run.posts.map(
        (post) =>
          `https://www.bhmpc.com/wp-content/uploads/2025/11/${slugOf(post.url)}-2026-featured-image-1024x576.jpg`,
      ),
    );
    const times = run.posts.map((post) => Date.parse(post.publishedAt));
    expect(times).toEqual(
      Array.from({ length: shown }, (_, k) => Date.parse('2025-11-10T03:00:00Z') - k * 4 * 3_600_000),
    );
    expect(Buffer.byteLength(run.html!)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(run.html).toContain(`And ${40 - shown} more on the blog`);
    expect(run.notes).toEqual([
      {
        kind: 'trimmed',
        message: expect.stringMatching(
          new RegExp(
            `^trimmed to ${shown} of 40 cards: with all of them the HTML part would be \\d+\\.\\d KB and Gmail clips mail over 102 KB`,
          ),
        ),
      },
    ]);
  });

  it('composes the week under 102 KB, notes the trim in the digest record, and releases it', async () => {
    const { digest } = await app.get(WeeklyDigestService).run(week);
    expect(digest.status).toBe('approved');
    expect(digest.holdReason).toBeNull();
    expect(listener.released).toContain(digest.id);
    expect(Buffer.byteLength(digest.html!)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(checkDigestForDelivery(digest)).toEqual([]);
    expect(digest.postCount + digest.moreCount).toBe(40);
    expect(digest.moreCount).toBeGreaterThan(0);
    expect(digest.text).toContain(`And ${digest.moreCount} more on the blog: https://www.bhmpc.com/blog/`);
    expect(digest.text).toContain(`the ${digest.postCount} newest of the 40 posts`);
    expect(digest.composeNotes).toEqual([
      { kind: 'trimmed', message: expect.stringContaining(`trimmed to ${digest.postCount} of 40 cards`) },
    ]);
    const [{ count }] = await app.dataSource.query(
      `SELECT count(*)::int AS count FROM digest_posts WHERE digest_id = $1`,
      [digest.id],
    );
    expect(count).toBe(digest.postCount);
  });
});
