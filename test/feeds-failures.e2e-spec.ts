import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { Feed } from '../src/posts/feed.entity.js';
import { Post } from '../src/posts/post.entity.js';
import { type FeedHandler, FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'b'.repeat(40);
const MAX_BYTES = 4096;

const rss = (name: string, slugs: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>https://www.bhmpc.com/</link><description>d</description>${slugs
    .map(
      (slug) =>
        `<item><title>${name}: ${slug}</title><link>https://www.bhmpc.com/${name}/${slug}/</link><pubDate>Mon, 03 Nov 2025 10:00:00 +0000</pubDate></item>`,
    )
    .join('')}</channel></rss>`;

/** Each broken feed: how it breaks, and the reason its state must give. */
const FAILURES: Record<string, { handler: FeedHandler; reason: RegExp }> = {
  '/truncated.xml': {
    // A lenient parser would read the first item of this and carry on.
    handler: (_request, response) =>
      response
        .writeHead(200, { 'Content-Type': 'application/rss+xml' })
        .end(
          '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>A</title><link>https://www.bhmpc.com/a/</link></item></channel>',
        ),
    reason: /the feed ends early \(truncated at byte 141\): <rss> is never closed$/,
  },
  '/truncated-mid-item.xml': {
    // The real feed cut inside an item's title, as a proxy that drops the connection leaves it.
    handler: (_request, response) =>
      response
        .writeHead(200, { 'Content-Type': 'application/rss+xml; charset=UTF-8' })
        .end(feedFixture('week/truncated.rss.xml')),
    reason: new RegExp(
      `the feed ends early \\(truncated at byte ${Buffer.byteLength(feedFixture('week/truncated.rss.xml'))}\\): <rss> is never closed$`,
    ),
  },
  '/no-doctype': {
    handler: (_request, response) =>
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(feedFixture('week/no-doctype.html')),
    reason: /this is an HTML page, not a feed \(Content-Type: text\/html; charset=utf-8\): check the feed URL$/,
  },
  '/not-modified-unasked.xml': {
    // The feed sent no validators when it worked, so Tidings sends none: a 304 is a broken server or cache.
    handler: (_request, response) => response.writeHead(304).end(),
    reason: /answered HTTP 304 Not Modified to a request that sent no validators/,
  },
  '/bare-ampersand.xml': {
    handler: (_request, response) =>
      response
        .writeHead(200, { 'Content-Type': 'application/rss+xml' })
        .end(
          '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>A & B</title></item></channel></rss>',
        ),
    reason: /not well-formed XML: char '&' is not expected/,
  },
  '/html-page': {
    handler: (_request, response) =>
      response
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end('<!DOCTYPE html><html><head><title>BHM</title></head><body><h1>Welcome</h1></body></html>'),
    reason: /this is an HTML page, not a feed \(Content-Type: text\/html; charset=utf-8\)/,
  },
  '/gone.xml': {
    handler: (_request, response) => response.writeHead(404).end('nope'),
    reason: /answered HTTP 404 Not Found/,
  },
  '/crash.xml': {
    handler: (_request, response) => response.writeHead(500).end('boom'),
    reason: /answered HTTP 500 Internal Server Error/,
  },
  '/slow.xml': { handler: () => undefined, reason: /timed out after 500 ms/ },
  '/huge-streamed.xml': {
    handler: (_request, response) => {
      // No Content-Length: only counting while reading catches it.
      response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      response.write(`<?xml version="1.0"?><rss version="2.0"><channel><title>${'x'.repeat(MAX_BYTES)}`);
      response.end(`${'y'.repeat(MAX_BYTES)}</title></channel></rss>`);
    },
    reason: new RegExp(`larger than ${MAX_BYTES} bytes`),
  },
  '/huge-declared.xml': {
    handler: (_request, response) =>
      response
        .writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': String(MAX_BYTES * 4) })
        .end('z'.repeat(MAX_BYTES * 4)),
    reason: new RegExp(`larger than ${MAX_BYTES} bytes`),
  },
  '/loop.xml': {
    handler: (_request, response) => response.writeHead(302, { Location: '/loop.xml' }).end(),
    reason: /too many redirects \(more than 5\)/,
  },
};
const BROKEN = Object.keys(FAILURES);
/** The name a feed's posts carry: its path. */
const nameOf = (path: string) => path.slice(1).replace(/\W+/g, '-');

describe('a broken feed fails alone', () => {
  let feeds: FeedServer;
  let app: TestApp;
  const warnings: string[] = [];

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.serve('/healthy.xml', feedResponse(rss('healthy', ['one'])));
    // Every feed works at first, so each has posts to lose.
    for (const path of BROKEN) feeds.serve(path, feedResponse(rss(nameOf(path), ['first', 'second'])));
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    app = await TestApp.start({
      env: {
        ADMIN_TOKENS: TOKEN,
        FEED_URLS: ['/healthy.xml', ...BROKEN].map((path) => feeds.url(path)).join(','),
        FEED_TIMEOUT_MS: '500',
        FEED_MAX_BYTES: String(MAX_BYTES),
      },
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await feeds?.close();
    await app?.close();
  });

  const poll = async () =>
    (await request(app.http).post('/admin/feeds/poll').auth(TOKEN, { type: 'bearer' }).expect(200)).body.feeds as {
      url: string;
      outcome: string;
      error: string | null;
      created: number;
    }[];
  const snapshot = () =>
    app.dataSource.query(
      `SELECT f.url, p.id, p.title, p.updated_at FROM posts p JOIN feeds f ON f.id = p.feed_id ORDER BY f.url, p.title`,
    );

  it('reads every feed while they all work', async () => {
    const results = await poll();
    expect(results.every((result) => result.outcome === 'read')).toBe(true);
    expect(await app.dataSource.getRepository(Post).count()).toBe(1 + 2 * BROKEN.length);
  });

  it('records why each feed failed, keeps its posts, and still reads the healthy feed', async () => {
    const before = await snapshot();
    for (const [path, failure] of Object.entries(FAILURES)) feeds.serve(path, failure.handler);
    feeds.serve('/healthy.xml', feedResponse(rss('healthy', ['one', 'two'])));

    const results = await poll();
    expect(results.find((result) => result.url === feeds.url('/healthy.xml'))).toMatchObject({
      outcome: 'read',
      created: 1,
      error: null,
    });
    for (const [path, failure] of Object.entries(FAILURES)) {
      const result = results.find((candidate) => candidate.url === feeds.url(path))!;
      expect([path, result.outcome]).toEqual([path, 'failed']);
      expect(result.error).toMatch(failure.reason);
      expect(warnings.some((line) => line.includes(feeds.url(path)) && failure.reason.test(line))).toBe(true);
    }
    expect(feeds.requestsTo('/loop.xml').length).toBe(1 + 6);

    const after = await snapshot();
    expect(after.filter((row: { url: string }) => !row.url.endsWith('/healthy.xml'))).toEqual(
      before.filter((row: { url: string }) => !row.url.endsWith('/healthy.xml')),
    );
    expect(after).toHaveLength(before.length + 1);

    const states = (await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200)).body
      .feeds as {
      url: string;
      status: string;
      lastError: string | null;
      lastErrorAt: string | null;
      lastSuccessAt: string | null;
    }[];
    expect(states).toHaveLength(1 + BROKEN.length);
    for (const state of states) {
      const failure = FAILURES[new URL(state.url).pathname];
      if (failure) {
        expect(state).toMatchObject({
          status: 'failing',
          lastError: expect.stringMatching(failure.reason),
          lastErrorAt: expect.any(String),
          lastSuccessAt: expect.any(String),
        });
      } else {
        expect(state).toMatchObject({ status: 'ok', lastError: null });
      }
    }
  });

  it('recovers once the feed is back, keeping the last failure on record', async () => {
    feeds.serve('/gone.xml', feedResponse(rss(nameOf('/gone.xml'), ['first', 'second', 'third'])));
    const results = await poll();
    expect(results.find((result) => result.url === feeds.url('/gone.xml'))).toMatchObject({
      outcome: 'read',
      created: 1,
    });
    const gone = await app.dataSource.getRepository(Feed).findOneByOrFail({ url: feeds.url('/gone.xml') });
    // The last failure stays on record; the status says it is over.
    expect(gone.lastError).toMatch(/404/);
    const state = (
      await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200)
    ).body.feeds.find((feed: { url: string }) => feed.url === gone.url);
    expect(state.status).toBe('ok');
  });
});
