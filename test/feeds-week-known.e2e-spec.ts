import request from 'supertest';
import { FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';
import { TestDatabase } from './support/test-database.js';
import { dryRun, FIXTURE_WEEK, pollFeeds } from './support/week.js';

const TOKEN = 'k'.repeat(40);
const FEEDS = { kept: '/kept/feed/', removed: '/removed/feed/', disabled: '/disabled/feed/', undated: '/notes/feed/' };
const titles = (run: { posts: { title: string }[] }) => run.posts.map((post) => post.title);

/**
 * What a post's first sight says about it: undated posts of a feed's first read are its back
 * catalogue, an old post appearing at the head of a known feed is a republished archive, and
 * the posts of a feed removed from FEED_URLS or disabled stay stored but leave digests.
 */
describe('posts of known, new, removed and disabled feeds', () => {
  let feeds: FeedServer;
  let database: TestDatabase;
  let app: TestApp;
  const start = (paths: string[]) =>
    TestApp.start({
      database,
      env: { ADMIN_TOKENS: TOKEN, DIGEST_MAX_POSTS: '50', FEED_URLS: paths.map((path) => feeds.url(path)).join(',') },
    });
  /** The week ending in an hour: what the next digest would cover now. */
  const thisWeek = () => ({
    periodStart: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    periodEnd: new Date(Date.now() + 3_600_000).toISOString(),
  });

  beforeAll(async () => {
    feeds = await FeedServer.start();
    for (const name of ['kept', 'removed', 'disabled'] as const)
      feeds.serve(FEEDS[name], feedResponse(feedFixture(`week/${name}.rss.xml`)));
    feeds.serve(FEEDS.undated, feedResponse(feedFixture('week/undated.rss.xml')));
    database = await TestDatabase.create();
    app = await start(Object.values(FEEDS));
    await pollFeeds(app, TOKEN);
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
    await database?.drop();
  });

  it("never counts the undated back catalogue of a feed read for the first time as this week's news", async () => {
    const run = await dryRun(app, TOKEN, thisWeek());
    expect(run.wouldBe).toBe('skipped');
    expect(run.notes.map((note) => note.message).sort()).toEqual(
      ['A checklist for discharge planning', 'Notes from the NCQA conference', 'Our 2018 parity guide'].map(
        (title) =>
          `"${title}" left out: it has no date Tidings could read and came with the first read of its feed, so it belongs to the back catalogue, not to this week`,
      ),
    );
  });

  it('dates a new undated post of a known feed by its first sight, and leaves out a republished archive, saying why', async () => {
    feeds.serve(FEEDS.undated, feedResponse(feedFixture('week/undated-next-week.rss.xml')));
    const polled = await pollFeeds(app, TOKEN);
    expect(polled.find((result) => result.url === feeds.url(FEEDS.undated))).toMatchObject({
      outcome: 'read',
      created: 2,
    });

    expect(titles(await dryRun(app, TOKEN, thisWeek()))).toEqual(['Open enrollment reminders']);

    const week = await dryRun(app, TOKEN);
    expect(titles(week)).toEqual([
      'Old blog: staffing ratios',
      'Partner blog: event recap',
      'Network adequacy standards',
      'Old blog: payer mix analysis',
      'Partner blog: sponsored webinar',
    ]);
    const [{ seen }] = await app.dataSource.query(
      `SELECT to_char(first_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS seen FROM posts WHERE title = 'Throwback: prior authorization in 2025'`,
    );
    expect(week.notes.filter((note) => note.kind === 'left-out').map((note) => note.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^"Throwback: prior authorization in 2025" left out: dated 2025-11-05 but first seen in its feed on ${seen}, \\d+ days later: a republished archive, not new$`,
        ),
      ),
    ]);
  });

  it('leaves the posts of a disabled feed out of digests, keeps them stored, and stops polling it', async () => {
    const states = (await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200)).body
      .feeds as { id: string; url: string }[];
    const disabled = states.find((state) => state.url === feeds.url(FEEDS.disabled))!;
    const answer = await request(app.http)
      .post(`/admin/feeds/${disabled.id}/disable`)
      .auth(TOKEN, { type: 'bearer' })
      .expect(200);
    expect(answer.body).toMatchObject({ id: disabled.id, enabled: false, configured: true });

    const run = await dryRun(app, TOKEN);
    expect(titles(run)).toEqual([
      'Old blog: staffing ratios',
      'Network adequacy standards',
      'Old blog: payer mix analysis',
    ]);
    expect(run.notes).toContainEqual({
      kind: 'left-out',
      feedId: disabled.id,
      message: `2 post(s) left out: its feed ${feeds.url(FEEDS.disabled)} is disabled (they stay in the archive)`,
    });

    const asked = feeds.requestsTo(FEEDS.disabled).length;
    await pollFeeds(app, TOKEN);
    expect(feeds.requestsTo(FEEDS.disabled)).toHaveLength(asked);
    await request(app.http).post('/admin/feeds/not-a-uuid/disable').auth(TOKEN, { type: 'bearer' }).expect(400);
    await request(app.http)
      .post('/admin/feeds/00000000-0000-4000-8000-000000000000/disable')
      .auth(TOKEN, { type: 'bearer' })
      .expect(404);
  });

  it('leaves the posts of a feed removed from FEED_URLS out of digests and keeps them in the archive', async () => {
    await app.close();
    app = await start([FEEDS.kept, FEEDS.disabled, FEEDS.undated]);
    const asked = feeds.requestsTo(FEEDS.removed).length;
    await pollFeeds(app, TOKEN);
    expect(feeds.requestsTo(FEEDS.removed)).toHaveLength(asked);

    const run = await dryRun(app, TOKEN);
    expect(titles(run)).toEqual(['Network adequacy standards']);
    expect(run.notes.map((note) => note.message)).toEqual(
      expect.arrayContaining([
        `2 post(s) left out: its feed ${feeds.url(FEEDS.removed)} is no longer in FEED_URLS (they stay in the archive)`,
        `2 post(s) left out: its feed ${feeds.url(FEEDS.disabled)} is disabled (they stay in the archive)`,
      ]),
    );
    const stored = (
      await request(app.http)
        .get('/admin/posts')
        .query({ ...{ from: FIXTURE_WEEK.periodStart, to: FIXTURE_WEEK.periodEnd }, limit: 100 })
        .auth(TOKEN, { type: 'bearer' })
        .expect(200)
    ).body.items as { title: string }[];
    expect(stored.map((post) => post.title)).toEqual(
      expect.arrayContaining([
        'Old blog: staffing ratios',
        'Old blog: payer mix analysis',
        'Partner blog: event recap',
        'Partner blog: sponsored webinar',
      ]),
    );
  });
});
