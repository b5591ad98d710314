import request from 'supertest';
import { Feed } from '../src/posts/feed.entity.js';
import { Post } from '../src/posts/post.entity.js';
import { FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'f'.repeat(40);
const WORDPRESS = '/blog/feed/';
const LAST_MODIFIED = 'Mon, 03 Nov 2025 14:05:12 GMT';

/** An RSS feed written by the test, for the cases no real blog should carry. */
function rss(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Edge cases</title><link>https://www.bhmpc.com</link><description>d</description>${items.join('')}</channel></rss>`;
}

describe('reading the blog feeds', () => {
  let feeds: FeedServer;
  let app: TestApp;
  const inFuture = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  inFuture.setUTCMilliseconds(0);

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds
      .serve(
        WORDPRESS,
        feedResponse(feedFixture('bhm-wordpress.rss.xml'), { etag: '"wp-v1"', lastModified: LAST_MODIFIED }),
      )
      .serve(
        '/news/atom.xml',
        feedResponse(feedFixture('bhm-news.atom.xml'), {
          contentType: 'application/atom+xml',
          lastModified: LAST_MODIFIED,
        }),
      )
      .serve(
        '/briefs/feed.json',
        feedResponse(feedFixture('bhm-briefs.feed.json'), { contentType: 'application/feed+json', etag: 'W/"json-1"' }),
      )
      .serve(
        '/archive/index.rdf',
        feedResponse(feedFixture('bhm-archive.rdf.xml'), { contentType: 'application/rdf+xml' }),
      )
      .serve(
        '/edge.xml',
        feedResponse(
          rss([
            `<item><title>&lt;script&gt;alert("x")&lt;/script&gt;Q&amp;amp;A: Caf&#233; &lt;b&gt;owners&lt;/b&gt; &amp;amp; &#8220;payers&#8221;</title><link>https://www.bhmpc.com/qa/</link>
              <description><![CDATA[<script>document.cookie</script><style>p{}</style><p onclick="x()">Plain &amp; simple&nbsp;&mdash; <a href="javascript:alert(1)">really</a></p>]]></description>
              <enclosure url="data:image/png;base64,AAAA" type="image/png" length="4"/>
              <content:encoded><![CDATA[<img src="javascript:alert(1)"><img src="https://www.bhmpc.com/safe.png">]]></content:encoded>
              <pubDate>Mon, 03 Nov 2025 08:00:00 +0000</pubDate></item>`,
            `<item><title>Sneaky link</title><link>javascript:alert(document.domain)</link><guid>sneaky-1</guid></item>`,
            `<item><title>Coming soon: our 2026 outlook</title><link>https://www.bhmpc.com/2026-outlook/</link><pubDate>${inFuture.toUTCString()}</pubDate></item>`,
            `<item><title>${'Long title '.repeat(80)}</title><link>https://www.bhmpc.com/long/</link><description>${'word '.repeat(2000)}</description></item>`,
          ]),
        ),
      );
    app = await TestApp.start({
      env: {
        ADMIN_TOKENS: TOKEN,
        FEED_URLS: [WORDPRESS, '/news/atom.xml', '/briefs/feed.json', '/archive/index.rdf', '/edge.xml']
          .map((path) => feeds.url(path))
          .join(','),
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  const poll = async () =>
    (await request(app.http).post('/admin/feeds/poll').auth(TOKEN, { type: 'bearer' }).expect(200)).body.feeds as {
      url: string;
      outcome: string;
      created: number;
      updated: number;
      skipped: number;
      error: string | null;
      state: { status: string };
    }[];
  const resultFor = (results: Awaited<ReturnType<typeof poll>>, path: string) =>
    results.find((result) => result.url === feeds.url(path))!;
  const posts = () => app.dataSource.getRepository(Post).find({ order: { publishedAt: 'DESC' } });
  const post = (url: string) => app.dataSource.getRepository(Post).findOneByOrFail({ url });
  const feedRow = (path: string) => app.dataSource.getRepository(Feed).findOneByOrFail({ url: feeds.url(path) });

  it('reads every post of the WordPress RSS feed with its fields', async () => {
    const results = await poll();
    expect(results.map((result) => [result.outcome, result.error])).toEqual(Array(5).fill(['read', null]));
    expect(resultFor(results, WORDPRESS)).toMatchObject({
      created: 5,
      updated: 0,
      skipped: 0,
      state: { status: 'ok' },
    });

    const wordpress = await feedRow(WORDPRESS);
    expect(wordpress).toMatchObject({
      title: 'BHM Healthcare Solutions',
      etag: '"wp-v1"',
      lastModified: LAST_MODIFIED,
      lastError: null,
    });
    const fromWordpress = (await posts()).filter((row) => row.feedId === wordpress.id);
    expect(fromWordpress.map((row) => row.title)).toEqual([
      'Learn how patients and providers use social media',
      'Physician Advisor & Peer Review: What Utilization Teams Should Know',
      'Preparing for NCQA Accreditation in 2026',
      'Managed Care Contracts: 5 Clauses Worth a Second Look',
      'Behavioral Health Parity – What the 2025 Rule Means for Health Plans',
    ]);

    const social = await post('https://www.bhmpc.com/2025/11/patients-providers-social-media/');
    expect(social).toMatchObject({
      guid: 'https://www.bhmpc.com/?p=9101',
      author: 'BHM Healthcare Solutions',
      categories: ['Healthcare Social Media', 'Patient Engagement'],
      imageUrl: 'https://www.bhmpc.com/wp-content/uploads/2025/11/social-media-healthcare.jpg',
      hidden: false,
    });
    expect(social.publishedAt.toISOString()).toBe('2025-11-03T14:00:00.000Z');
    expect(social.summary).toBe(
      'Social media has become a necessity for just about every industry; healthcare is no exception. See how social media is being used by both patients and providers – and why it’s a double-edged sword. […] The post Learn how patients and providers use social media appeared first on BHM Healthcare Solutions.',
    );
    expect(social.firstSeenAt).toBeInstanceOf(Date);

    // The enclosure comes before the first image of the content.
    const advisor = await post('https://www.bhmpc.com/2025/10/physician-advisor-peer-review/');
    expect(advisor).toMatchObject({
      author: 'Dr. Maria Lopez',
      imageUrl: 'https://www.bhmpc.com/wp-content/uploads/2025/10/physician-advisor.jpg',
    });
    expect(advisor.summary).toBe(
      'Independent peer review protects patients, providers & payers alike. Here’s what a physician advisor program looks like when it works “as intended”. […]',
    );

    // The tracking pixel is passed over and the relative image resolved against the post.
    expect((await post('https://www.bhmpc.com/2025/10/ncqa-accreditation-2026/')).imageUrl).toBe(
      'https://www.bhmpc.com/wp-content/uploads/2025/10/ncqa-checklist.png',
    );
    const contracts = await post('https://www.bhmpc.com/2025/10/managed-care-contract-clauses/');
    expect(contracts).toMatchObject({
      author: 'James O’Neill',
      imageUrl: null,
      categories: ['Managed Care Consulting', 'Healthcare Finance'],
    });
    expect(contracts.summary).toBe(
      'Before you sign, read the "timely filing" and termination without cause clauses twice & ask your finance team for the numbers.',
    );
    const parity = await post('https://www.bhmpc.com/2025/10/behavioral-health-parity-rule/');
    expect(parity.imageUrl).toBe('https://www.bhmpc.com/wp-content/uploads/2025/10/parity.jpg');
    expect(parity.publishedAt.toISOString()).toBe('2025-10-14T13:00:00.000Z');
  });

  it('reads Atom, JSON Feed and RDF posts with their fields', async () => {
    expect(await post('https://www.bhmpc.com/news/rural-strategic-planning/')).toMatchObject({
      guid: 'tag:www.bhmpc.com,2025:news/rural-strategic-planning',
      title: 'Strategic Planning for Rural Hospitals & Clinics',
      summary: 'Rural hospitals face tight margins & staffing gaps.',
      imageUrl: 'https://www.bhmpc.com/news/images/rural-hospital.jpg',
      author: 'Anna Becker',
      categories: ['Strategic Planning', 'hospitals'],
      publishedAt: new Date('2025-11-04T10:00:00Z'),
    });
    // No <published>: the entry's <updated> is its date.
    expect(await post('https://www.bhmpc.com/news/od-workshops/')).toMatchObject({
      imageUrl: 'https://www.bhmpc.com/news/images/od-workshops.png',
      summary: 'Registration is open for our organizational development workshops.',
      publishedAt: new Date('2025-10-28T16:00:00Z'),
    });
    expect((await feedRow('/news/atom.xml')).title).toBe('BHM Healthcare Solutions – News');

    expect(await post('https://www.bhmpc.com/briefs/prior-authorization-reform/')).toMatchObject({
      guid: 'brief-2025-11-01',
      title: 'Prior Authorization Reform: A One-Page Brief',
      summary: 'CMS’s prior authorization rule, in one page.',
      imageUrl: 'https://www.bhmpc.com/briefs/pa-reform.jpg',
      author: 'Priya Natarajan',
      categories: ['Utilization Management', 'Policy'],
      publishedAt: new Date('2025-11-01T13:30:00Z'),
    });
    // No date at all: the post is dated by when Tidings first saw it.
    const undated = await post('https://www.bhmpc.com/briefs/peer-review-faq/');
    expect(undated).toMatchObject({
      guid: 'brief-undated',
      summary: 'Answers to the questions clients ask most about independent peer review.',
      imageUrl: null,
      author: null,
      categories: [],
    });
    expect(undated.publishedAt).toEqual(undated.firstSeenAt);

    expect(await post('https://www.bhmpc.com/archive/case-management-metrics/')).toMatchObject({
      guid: 'https://www.bhmpc.com/archive/case-management-metrics/',
      title: 'Case Management Metrics That Matter',
      summary: 'Readmissions, length of stay & member satisfaction.',
      author: 'Thomas Reed',
      categories: ['Case Management'],
      publishedAt: new Date('2025-10-20T11:00:00Z'),
    });
  });

  it('keeps only plain text and http(s) URLs, skips a post whose link is not http(s), and cuts overlong text', async () => {
    const qa = await post('https://www.bhmpc.com/qa/');
    expect(qa.title).toBe('Q&A: Café owners & “payers”');
    expect(qa.summary).toBe('Plain & simple — really');
    // data: and javascript: images are dropped; the first safe one is kept.
    expect(qa.imageUrl).toBe('https://www.bhmpc.com/safe.png');

    const all = await posts();
    expect(all.some((row) => row.guid === 'sneaky-1' || row.url.startsWith('javascript'))).toBe(false);
    const edge = (
      await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200)
    ).body.feeds.find((feed: { url: string }) => feed.url === feeds.url('/edge.xml'));
    expect(edge.status).toBe('ok');

    const long = await post('https://www.bhmpc.com/long/');
    expect(Array.from(long.title).length).toBeLessThanOrEqual(500);
    expect(long.title.endsWith('…')).toBe(true);
    expect(Array.from(long.summary).length).toBeLessThanOrEqual(5000);
  });

  it('stores a future-dated post as dated and lists it as scheduled', async () => {
    const upcoming = await post('https://www.bhmpc.com/2026-outlook/');
    expect(upcoming.publishedAt).toEqual(inFuture);
    const listed = (
      await request(app.http).get('/admin/posts').query({ limit: 100 }).auth(TOKEN, { type: 'bearer' }).expect(200)
    ).body.items as { url: string; scheduled: boolean }[];
    expect(listed[0]).toMatchObject({ url: 'https://www.bhmpc.com/2026-outlook/', scheduled: true });
    expect(listed.filter((item) => item.scheduled)).toHaveLength(1);
  });

  it('re-polls without duplicates, sending the validators back and accepting 304', async () => {
    const before = await posts();
    const seen = feeds.requests.length;
    const results = await poll();
    expect(resultFor(results, WORDPRESS)).toMatchObject({ outcome: 'not-modified', created: 0, updated: 0 });
    expect(resultFor(results, '/news/atom.xml').outcome).toBe('not-modified');
    expect(resultFor(results, '/briefs/feed.json').outcome).toBe('not-modified');
    // Without validators the feed is read again, and still nothing is created or changed.
    expect(resultFor(results, '/edge.xml')).toMatchObject({ outcome: 'read', created: 0, updated: 0, skipped: 1 });

    const second = feeds.requests.slice(seen);
    const wordpress = second.find((seenRequest) => seenRequest.path === WORDPRESS)!;
    expect(wordpress.headers['if-none-match']).toBe('"wp-v1"');
    expect(wordpress.headers['if-modified-since']).toBe(LAST_MODIFIED);
    expect(wordpress.headers['user-agent']).toBe(app.config.feeds.userAgent);
    expect(second.find((seenRequest) => seenRequest.path === '/news/atom.xml')!.headers['if-modified-since']).toBe(
      LAST_MODIFIED,
    );
    expect(second.find((seenRequest) => seenRequest.path === '/briefs/feed.json')!.headers['if-none-match']).toBe(
      'W/"json-1"',
    );

    const after = await posts();
    expect(after.map((row) => [row.id, row.updatedAt.getTime()])).toEqual(
      before.map((row) => [row.id, row.updatedAt.getTime()]),
    );
    expect((await feedRow(WORDPRESS)).lastSuccessAt!.getTime()).toBeGreaterThan(before[0].firstSeenAt.getTime());
  });

  it('updates an edited post, keeps a post that left the feed, and leaves a hidden post hidden', async () => {
    const social = await post('https://www.bhmpc.com/2025/11/patients-providers-social-media/');
    const contracts = await post('https://www.bhmpc.com/2025/10/managed-care-contract-clauses/');
    await request(app.http).post(`/admin/posts/${contracts.id}/hide`).auth(TOKEN, { type: 'bearer' }).expect(200);

    const edited = feedFixture('bhm-wordpress.rss.xml')
      .replace(
        '<title>Learn how patients and providers use social media</title>',
        '<title>How patients and providers use social media in 2025</title>',
      )
      .replace(/<item>\s*<title>Behavioral Health Parity[\s\S]*?<\/item>/, '')
      .replace('read the &quot;timely filing&quot;', 'read the &quot;timely filing&quot; (updated)');
    feeds.serve(WORDPRESS, feedResponse(edited, { etag: '"wp-v2"' }));
    expect(resultFor(await poll(), WORDPRESS)).toMatchObject({ outcome: 'read', created: 0, updated: 2 });

    const renamed = await post(social.url);
    expect(renamed).toMatchObject({
      id: social.id,
      title: 'How patients and providers use social media in 2025',
      publishedAt: social.publishedAt,
      firstSeenAt: social.firstSeenAt,
    });
    expect(renamed.updatedAt.getTime()).toBeGreaterThan(social.updatedAt.getTime());
    const stillHidden = await post(contracts.url);
    expect(stillHidden.hidden).toBe(true);
    expect(stillHidden.summary).toContain('(updated)');
    expect(await post('https://www.bhmpc.com/2025/10/behavioral-health-parity-rule/')).toBeTruthy();
    expect((await feedRow(WORDPRESS)).etag).toBe('"wp-v2"');
    expect(await app.dataSource.getRepository(Post).countBy({ url: social.url })).toBe(1);
  });
});
