import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { FeedResolver, type ResolvedAddress } from '../src/posts/feed-resolver.js';
import { FeedServer, feedResponse } from './support/feed-server.js';
import { freePort, TestApp } from './support/test-app.js';
import { LoopbackOnly } from './support/loopback-only.js';

const TOKEN = 'g'.repeat(40);
/** The public address the test resolver gives the blog; LoopbackOnly carries it to the local feed server. */
const BLOG_ADDRESS = '93.184.215.14';
/** A public address no connection may ever reach: the first answer of the rebinding name. */
const REBIND_PUBLIC = '93.184.215.15';
const RSS =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>A</title><link>https://www.bhmpc.com/a/</link></item></channel></rss>';
/** Credentials carried by FEED_URLS entries: none may be shown anywhere. */
const PASSWORD = 's3cret-pass';
const QUERY_TOKEN = 'tok-SECRET-123';
const SECRETS = [PASSWORD, QUERY_TOKEN, 'reader:', Buffer.from(`reader:${PASSWORD}`).toString('base64')];
const REFUSAL = 'feeds are read from public addresses only (FEED_ALLOW_PRIVATE=true allows a blog on your own network)';

/** Names the test answers for without DNS: each list is one lookup's answer, the last one repeating. */
class MappedResolver {
  readonly asked: string[] = [];
  private readonly answers = new Map<string, string[][]>([
    ['blog.test', [[BLOG_ADDRESS]]],
    ['cdn.test', [[BLOG_ADDRESS]]],
    ['intranet.test', [['10.0.0.1']]],
    ['metadata.test', [['169.254.169.254']]],
    // DNS rebinding: public when the redirect is checked, private when the connection looks it up.
    ['rebind.test', [[REBIND_PUBLIC], ['10.0.0.2']]],
  ]);

  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    this.asked.push(hostname);
    const answers = this.answers.get(hostname);
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const answer = answers.length > 1 ? answers.shift()! : answers[0];
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

/** A server that must never be reached: it counts connections, not just requests. */
async function targetServer(host: string): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((_request, response) => response.end(RSS)).on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

describe('feed fetches: public addresses only, credentials never shown', () => {
  const resolver = new MappedResolver();
  const sandbox = new LoopbackOnly(new Map([[BLOG_ADDRESS, '127.0.0.1']]));
  let blog: FeedServer;
  let v4: Awaited<ReturnType<typeof targetServer>>;
  let v6: Awaited<ReturnType<typeof targetServer>>;
  let closedPort: number;
  let app: TestApp;
  let results: { url: string; outcome: string; error: string | null }[];
  let pollAnswer: string;
  const logs: string[] = [];
  const blogUrl = (path: string) => `http://blog.test:${new URL(blog.url('/')).port}${path}`;

  beforeAll(async () => {
    sandbox.install();
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: string | Uint8Array, ...rest: never[]) => {
        logs.push(chunk.toString());
        return write(chunk, ...rest);
      };
    }
    blog = await FeedServer.start();
    v4 = await targetServer('127.0.0.1');
    v6 = await targetServer('::1');
    closedPort = await freePort();
    const blogPort = new URL(blog.url('/')).port;
    const redirects: Record<string, string> = {
      '/to-ipv4': `http://127.0.0.1:${v4.port}/feed.xml`,
      '/to-closed-port': `http://127.0.0.1:${closedPort}/feed.xml`,
      '/to-ipv6': `http://[::1]:${v6.port}/feed.xml`,
      '/to-mapped': `http://[::ffff:127.0.0.1]:${v4.port}/feed.xml`,
      '/to-hex': `http://0x7f000001:${v4.port}/feed.xml`,
      '/to-decimal': `http://2130706433:${v4.port}/feed.xml`,
      '/to-private-name': `http://intranet.test:${v4.port}/feed.xml`,
      '/to-metadata': 'http://metadata.test/latest/meta-data/',
      '/to-rebinding': `http://rebind.test:${blogPort}/feed.xml`,
      '/to-public': `http://cdn.test:${blogPort}/feed.xml`,
    };
    for (const [path, location] of Object.entries(redirects))
      blog.serve(path, (_request, response) => response.writeHead(302, { Location: location }).end());
    blog.serve('/feed.xml', feedResponse(RSS));
    const login = `Basic ${Buffer.from(`reader:${PASSWORD}`).toString('base64')}`;
    blog.serve('/private.xml', (request, response) =>
      request.headers.authorization === login
        ? feedResponse(RSS)(request, response)
        : response.writeHead(401, { 'WWW-Authenticate': 'Basic' }).end(),
    );
    blog.serve('/private-broken.xml', (_request, response) => response.writeHead(500).end());
    blog.serve(`/tokened.xml?token=${QUERY_TOKEN}&format=rss`, (_request, response) =>
      response.writeHead(302, { Location: `http://127.0.0.1:${v4.port}/feed.xml?token=${QUERY_TOKEN}` }).end(),
    );
    app = await TestApp.start({
      env: {
        ADMIN_TOKENS: TOKEN,
        FEED_ALLOW_PRIVATE: 'false',
        FEED_URLS: [
          ...[...Object.keys(redirects), '/feed.xml'].map(blogUrl),
          `http://127.0.0.1:${v4.port}/feed.xml`,
          withLoginUrl('/private.xml'),
          withLoginUrl('/private-broken.xml'),
          blogUrl(`/tokened.xml?token=${QUERY_TOKEN}&format=rss`),
        ].join(','),
        LOG_LEVEL: 'verbose',
      },
      overrides: [{ provide: FeedResolver, useValue: resolver }],
    });
    const { body, text } = await request(app.http)
      .post('/admin/feeds/poll')
      .auth(TOKEN, { type: 'bearer' })
      .expect(200);
    results = body.feeds;
    pollAnswer = text;
  });

  afterAll(async () => {
    await app?.close();
    await blog?.close();
    for (const target of [v4, v6]) await new Promise((resolve) => target?.server.close(resolve));
    sandbox.uninstall();
  });

  const withLoginUrl = (path: string) => blogUrl(path).replace('http://', `http://reader:${PASSWORD}@`);
  const errorOf = (url: string) => results.find((result) => result.url === url)?.error;

  it('reads a public blog, directly and through a redirect to another public host', () => {
    expect(results.find((result) => result.url === blogUrl('/feed.xml'))).toMatchObject({ outcome: 'read' });
    expect(results.find((result) => result.url === blogUrl('/to-public'))).toMatchObject({ outcome: 'read' });
  });

  it.each([
    ['/to-ipv4', () => `http://127.0.0.1:${v4.port}/feed.xml`, '127.0.0.1 is a loopback address'],
    ['/to-ipv6', () => `http://[::1]:${v6.port}/feed.xml`, '::1 is a loopback address'],
    ['/to-mapped', () => `http://[::ffff:7f00:1]:${v4.port}/feed.xml`, '::ffff:7f00:1 is a loopback address'],
    ['/to-hex', () => `http://127.0.0.1:${v4.port}/feed.xml`, '127.0.0.1 is a loopback address'],
    ['/to-decimal', () => `http://127.0.0.1:${v4.port}/feed.xml`, '127.0.0.1 is a loopback address'],
  ])('refuses a redirect %s, with nothing sent to the loopback server', (path, target, reason) => {
    expect(errorOf(blogUrl(path))).toBe(
      `refused ${target()} (a redirect from ${blogUrl(path)}): ${reason}; ${REFUSAL}`,
    );
    expect(v4.connections() + v6.connections()).toBe(0);
  });

  it('refuses a configured loopback feed before connecting', () => {
    const url = `http://127.0.0.1:${v4.port}/feed.xml`;
    expect(errorOf(url)).toBe(`refused ${url}: 127.0.0.1 is a loopback address; ${REFUSAL}`);
  });

  it('words a refusal alike whether the port is open or closed', () => {
    const open = errorOf(blogUrl('/to-ipv4'))!.replace(`:${v4.port}/`, ':PORT/').replace('/to-ipv4', '/PATH');
    const closed = errorOf(blogUrl('/to-closed-port'))!
      .replace(`:${closedPort}/`, ':PORT/')
      .replace('/to-closed-port', '/PATH');
    expect(closed).toBe(open);
  });

  it.each([
    [
      '/to-private-name',
      () => `http://intranet.test:${v4.port}/feed.xml`,
      'intranet.test resolves to a private network address',
    ],
    [
      '/to-metadata',
      () => 'http://metadata.test/latest/meta-data/',
      'metadata.test resolves to a link-local address (where cloud metadata services answer)',
    ],
  ])('refuses %s through the resolver, before any connection to the name', (path, target, reason) => {
    const name = new URL(target()).hostname;
    expect(errorOf(blogUrl(path))).toBe(
      `refused ${target()} (a redirect from ${blogUrl(path)}): ${reason}; ${REFUSAL}`,
    );
    expect(resolver.asked).toContain(name);
    expect(sandbox.names).not.toContain(name);
  });

  it('refuses a name that turns private between the check and the connection (DNS rebinding)', () => {
    const target = `http://rebind.test:${new URL(blog.url('/')).port}/feed.xml`;
    expect(errorOf(blogUrl('/to-rebinding'))).toBe(
      `refused ${target} (a redirect from ${blogUrl('/to-rebinding')}): rebind.test resolves to a private network address; ${REFUSAL}`,
    );
    // Looked up twice: once by the check (public), once by the connection itself, which refused.
    expect(resolver.asked.filter((name) => name === 'rebind.test')).toHaveLength(2);
    expect(sandbox.names).toContain('rebind.test');
  });

  it('never tried a connection off loopback', () => {
    expect(sandbox.blocked).toEqual([]);
  });

  it('keeps the refusal as the feed’s lastError', async () => {
    const { body } = await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200);
    const state = body.feeds.find((feed: { url: string }) => feed.url === blogUrl('/to-metadata'));
    expect(state).toMatchObject({ status: 'failing', lastError: errorOf(blogUrl('/to-metadata')) });
  });

  describe('credentials in FEED_URLS', () => {
    const hidden = (url: string) => url.replace(`reader:${PASSWORD}@`, '***@').replace(QUERY_TOKEN, '***');
    const expectNoSecret = (text: string) => {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    };

    it('reads a feed behind Basic auth from the user and password of its URL', () => {
      expect(results.find((result) => result.url === hidden(withLoginUrl('/private.xml')))).toMatchObject({
        outcome: 'read',
      });
    });

    it('shows each URL with its credentials masked, in errors too', () => {
      expect(errorOf(hidden(withLoginUrl('/private-broken.xml')))).toBe(
        `${hidden(withLoginUrl('/private-broken.xml'))} answered HTTP 500 Internal Server Error`,
      );
      const tokened = blogUrl(`/tokened.xml?token=${QUERY_TOKEN}&format=rss`);
      expect(errorOf(hidden(tokened))).toBe(
        `refused http://127.0.0.1:${v4.port}/feed.xml?token=*** (a redirect from ${hidden(tokened)}): 127.0.0.1 is a loopback address; ${REFUSAL}`,
      );
    });

    it('keeps them out of the poll answer, the feeds list, the stored errors, /metrics and the logs', async () => {
      expectNoSecret(pollAnswer);
      const feeds = await request(app.http).get('/admin/feeds').auth(TOKEN, { type: 'bearer' }).expect(200);
      expect(feeds.text).toContain('http://***@blog.test');
      expectNoSecret(feeds.text);
      const stored = await app.dataSource.query(`SELECT last_error, last_warning FROM feeds`);
      expect(stored.filter((row: { last_error: string | null }) => row.last_error)).not.toHaveLength(0);
      expectNoSecret(JSON.stringify(stored));
      expectNoSecret((await request(app.http).get('/metrics').expect(200)).text);
      const logged = logs.join('');
      expect(logged).toContain(`feed ${hidden(withLoginUrl('/private-broken.xml'))} failed`);
      expectNoSecret(logged);
    });
  });
});
