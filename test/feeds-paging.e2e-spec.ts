import request from 'supertest';
import { FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';
import { dryRun, FIXTURE_WEEK, pollFeeds } from './support/week.js';
import { Digest } from '../src/digests/digest.entity.js';
import { DigestComposer } from '../src/digests/digest-composer.js';

const TOKEN = 'p'.repeat(40);
const WORDPRESS = '/blog/feed/';
const ARCHIVED = '/news/current.atom.xml';
const week = { start: new Date(FIXTURE_WEEK.periodStart), end: new Date(FIXTURE_WEEK.periodEnd) };

/** The week's posts as the fixtures date them, newest first. */
const BRIEFS = Array.from({ length: 25 }, (_, k) => ({
  n: k + 1,
  at: new Date(Date.UTC(2025, 10, 3, 14) + k * 6.5 * 3_600_000),
})).reverse();
const ARCHIVED_TITLES = [
  'payer audit season',
  'year-end coding',
  'open enrollment',
  'telehealth billing',
  'survey tracers',
  'appeals backlog',
  'Monday kickoff',
].map((topic) => `Archived feed: ${topic}`);

function serveFeeds(feeds: FeedServer): void {
  feeds.serve(WORDPRESS, feedResponse(feedFixture('paged/wordpress-page-1.rss.xml'), { etag: '"wp-1"' }));
  feeds.serve(`${WORDPRESS}?paged=2`, feedResponse(feedFixture('paged/wordpress-page-2.rss.xml')));
  feeds.serve(`${WORDPRESS}?paged=3`, feedResponse(feedFixture('paged/wordpress-page-3.rss.xml')));
  for (const name of ['current', 'archive-3', 'archive-2', 'archive-1']) {
    feeds.serve(
      `/news/${name}.atom.xml`,
      feedResponse(feedFixture(`paged/${name}.atom.xml`), { contentType: 'application/atom+xml' }),
    );
  }
}

/**
 * A week bigger than the feed: WordPress serves its newest 10 posts and pages with ?paged=N,
 * an RFC 5005 feed links its archives with prev-archive. Composing a week reads older pages
 * until the week is covered, within FEED_MAX_PAGES, and says so when the cap cut it short.
 */
describe('a week with more posts than the first page of the feed', () => {
  let feeds: FeedServer;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    serveFeeds(feeds);
  });

  afterAll(async () => {
    await feeds?.close();
  });

  describe('within the page cap', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({
        env: {
          ADMIN_TOKENS: TOKEN,
          DIGEST_MAX_POSTS: '50',
          FEED_URLS: [WORDPRESS, ARCHIVED].map((path) => feeds.url(path)).join(','),
        },
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('follows the pages back to the start of the week and shows every post of it once, in order', async () => {
      const run = await dryRun(app, TOKEN, { ...FIXTURE_WEEK, refreshFeeds: true });
      expect(feeds.requestsTo(`${WORDPRESS}?paged=2`)).toHaveLength(1);
      expect(feeds.requestsTo(`${WORDPRESS}?paged=3`)).toHaveLength(1);
      // Page 3 reaches back before the week: page 4 is not asked for.
      expect(feeds.requestsTo(`${WORDPRESS}?paged=4`)).toHaveLength(0);
      expect(feeds.requestsTo('/news/archive-1.atom.xml')).toHaveLength(1);

      const briefs = run.posts.filter((post) => post.title.startsWith('Brief'));
      expect(briefs.map((post) => [post.title.slice(0, 8), post.publishedAt])).toEqual(
        BRIEFS.map((brief) => [`Brief ${String(brief.n).padStart(2, '0')}`, brief.at.toISOString()]),
      );
      expect(run.posts.filter((post) => post.title.startsWith('Archived')).map((post) => post.title)).toEqual(
        ARCHIVED_TITLES,
      );
      expect(run.posts).toHaveLength(32);
      expect(new Set(run.posts.map((post) => post.url)).size).toBe(32);
      expect(run.posts.map((post) => post.publishedAt)).toEqual(
        [...run.posts.map((post) => post.publishedAt)].sort().reverse(),
      );
      expect(run.moreCount).toBe(0);
      expect(run.notes).toEqual([]);
    });

    it('reports the pages read in the poll result', async () => {
      const results = await pollFeeds(app, TOKEN);
      // An hourly poll reaches back eight days from now, which the first page already covers.
      expect(results.map((result) => [result.outcome, result.pages])).toEqual([
        ['not-modified', 0],
        ['read', 1],
      ]);
    });
  });

  describe('beyond the page cap', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN, FEED_MAX_PAGES: '3', FEED_URLS: feeds.url(ARCHIVED) } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('reads FEED_MAX_PAGES pages, and the digest record warns that the period may be incomplete', async () => {
      const asked = feeds.requestsTo('/news/archive-1.atom.xml').length;
      const { digest } = await app.get(DigestComposer).compose(week);
      expect(feeds.requestsTo('/news/archive-1.atom.xml')).toHaveLength(asked);
      expect(digest.postCount).toBe(6);
      const stored = await app.dataSource.getRepository(Digest).findOneByOrFail({ id: digest.id });
      expect(stored.composeNotes).toEqual([
        {
          kind: 'incomplete',
          feedId: expect.any(String),
          message: `the period may be incomplete: feed ${feeds.url(ARCHIVED)} was read back to 2025-11-04T14:00:00.000Z only (FEED_MAX_PAGES=3); posts published before then may be missing`,
        },
      ]);
      const [state] = (await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200)).body
        .feeds;
      expect(state.lastWarning).toBe(
        'read 3 pages (FEED_MAX_PAGES) and the feed still goes on: posts older than 2025-11-04T14:00:00.000Z were not read',
      );
    });
  });
});
