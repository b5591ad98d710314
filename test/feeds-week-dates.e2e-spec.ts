import { FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';
import { dryRun, pollFeeds, type PollResult } from './support/week.js';

const TOKEN = 'd'.repeat(40);
const FEEDS = {
  portuguese: '/br/feed/',
  zones: '/intl/feed/',
  main: '/feed/',
  mainAgain: '/?feed=rss2',
  category: '/category/utilization-management/feed/',
  duplicateGuids: '/rc/feed/',
};

/**
 * One real week of a blog with several feeds: localized dates, zone abbreviations, the same
 * articles in the main feed (configured under two URLs) and in a category feed with utm_ links,
 * and a feed repeating a guid. Every feed is new, so each dated post counts by its date.
 */
describe('a week of posts from feeds with foreign dates and overlapping content', () => {
  let feeds: FeedServer;
  let app: TestApp;
  let polled: PollResult[];

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds
      .serve(FEEDS.portuguese, feedResponse(feedFixture('week/portuguese-dates.rss.xml')))
      .serve(FEEDS.zones, feedResponse(feedFixture('week/zone-abbreviations.rss.xml')))
      .serve(FEEDS.main, feedResponse(feedFixture('week/bhm-main.rss.xml'), { etag: '"main-1"' }))
      .serve(FEEDS.mainAgain, feedResponse(feedFixture('week/bhm-main.rss.xml'), { etag: '"main-1"' }))
      .serve(FEEDS.category, feedResponse(feedFixture('week/bhm-category.rss.xml')))
      .serve(FEEDS.duplicateGuids, feedResponse(feedFixture('week/duplicate-guids.rss.xml')));
    app = await TestApp.start({
      env: {
        ADMIN_TOKENS: TOKEN,
        DIGEST_MAX_POSTS: '50',
        // The main feed first: of two copies of one article, the main feed's is kept.
        FEED_URLS: [FEEDS.main, FEEDS.mainAgain, FEEDS.category, FEEDS.portuguese, FEEDS.zones, FEEDS.duplicateGuids]
          .map((path) => feeds.url(path))
          .join(','),
      },
    });
    polled = await pollFeeds(app, TOKEN);
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  const resultFor = (path: string) => polled.find((result) => result.url === feeds.url(path))!;

  it('reads every feed', () => {
    expect(polled.map((result) => [result.url, result.outcome, result.error])).toEqual(
      Object.values(FEEDS).map(() => [expect.any(String), 'read', null]),
    );
    expect(resultFor(FEEDS.portuguese).created).toBe(4);
    expect(resultFor(FEEDS.zones).created).toBe(4);
  });

  it('counts and reports items that repeat a guid instead of dropping them silently', () => {
    expect(resultFor(FEEDS.duplicateGuids)).toMatchObject({
      created: 2,
      duplicates: 1,
      warnings: ['1 item(s) repeat the guid of an earlier item and were left out: "denials-100"'],
    });
    expect(resultFor(FEEDS.duplicateGuids).state.lastWarning).toBe(
      '1 item(s) repeat the guid of an earlier item and were left out: "denials-100"',
    );
  });

  it("puts exactly the week's articles in the digest, once each, newest first, by their real dates", async () => {
    const run = await dryRun(app, TOKEN);
    expect(run.problems).toEqual([]);
    expect(run.moreCount).toBe(0);
    expect(run.posts.map((post) => [post.title, post.publishedAt, post.url, post.imageUrl])).toEqual([
      ['Late Sunday in Sydney', '2025-11-10T10:00:00.000Z', 'https://intl.bhmpc.com/sydney-late-sunday/', null],
      [
        'Planejamento estratégico para hospitais',
        '2025-11-09T21:00:00.000Z',
        'https://br.bhmpc.com/2025/11/planejamento-estrategico/',
        null,
      ],
      ['Revenue cycle KPIs', '2025-11-09T14:00:00.000Z', 'https://rc.bhmpc.com/revenue-cycle-kpis/', null],
      [
        'Credentialing checklist for 2026',
        '2025-11-08T12:00:00.000Z',
        'https://www.bhmpc.com/2025/11/credentialing-checklist/',
        'https://www.bhmpc.com/wp-content/uploads/2025/11/credentialing.jpg',
      ],
      ['Pacific payer contracts', '2025-11-07T17:30:00.000Z', 'https://intl.bhmpc.com/pacific-payer-contracts/', null],
      ['Denials management playbook', '2025-11-07T12:00:00.000Z', 'https://rc.bhmpc.com/denials-playbook/', null],
      [
        'Utilization review staffing models',
        '2025-11-06T14:00:00.000Z',
        'https://www.bhmpc.com/2025/11/utilization-review-staffing/',
        'https://www.bhmpc.com/wp-content/uploads/2025/11/ur-staffing.jpg',
      ],
      [
        'Auditoria de contas médicas: o que mudou',
        '2025-11-05T12:15:00.000Z',
        'https://br.bhmpc.com/2025/11/auditoria-de-contas/',
        'https://br.bhmpc.com/wp-content/uploads/2025/11/auditoria.jpg',
      ],
      [
        'Hospital benchmarking in Germany',
        '2025-11-04T15:00:00.000Z',
        'https://intl.bhmpc.com/benchmarking-germany/',
        null,
      ],
      [
        'Peer review turnaround times',
        '2025-11-04T11:00:00.000Z',
        'https://www.bhmpc.com/2025/11/peer-review-turnaround/',
        null,
      ],
      ['Telemedicina e regulação', '2025-11-03T22:42:40.000Z', 'https://br.bhmpc.com/2025/11/telemedicina/', null],
    ]);
    // Once each in the mail too, and no campaign tags in any link.
    for (const title of [
      'Credentialing checklist for 2026',
      'Utilization review staffing models',
      'Peer review turnaround times',
    ]) {
      expect(run.text!.split(title).length - 1).toBe(1);
    }
    expect(run.html).not.toContain('utm_');
    expect(run.html).not.toContain('(draft)');
  });

  it('says which copies it left out and why', async () => {
    const run = await dryRun(app, TOKEN);
    const leftOut = run.notes.filter((note) => note.kind === 'left-out').map((note) => note.message);
    // The same three articles come from /?feed=rss2 and from the category feed: six copies left out.
    expect(leftOut).toHaveLength(6);
    expect(
      leftOut.filter((message) =>
        message.startsWith(
          '"Peer review turnaround times" left out: the same article as "Peer review turnaround times" (https://www.bhmpc.com/2025/11/peer-review-turnaround/)',
        ),
      ),
    ).toHaveLength(2);
    expect(leftOut.every((message) => /offered by another feed$/.test(message))).toBe(true);
  });

  it("leaves out posts just across the period's edges once their zone is read", async () => {
    const run = await dryRun(app, TOKEN);
    expect(run.posts.map((post) => post.title)).not.toContain('Early Monday in Berlin');
    expect(run.posts.map((post) => post.title)).not.toContain('Gestão de leitos');
    const before = await dryRun(app, TOKEN, {
      periodStart: '2025-10-27T13:00:00.000Z',
      periodEnd: '2025-11-03T13:00:00.000Z',
    });
    expect(before.posts.map((post) => [post.title, post.publishedAt])).toEqual([
      ['Early Monday in Berlin', '2025-11-03T12:30:00.000Z'],
      ['Gestão de leitos', '2025-10-31T13:00:00.000Z'],
    ]);
  });
});
