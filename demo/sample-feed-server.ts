import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { projectRoot } from '../src/common/project-root.js';

/** The path the sample feed is served on; demo/demo-database.ts recognises the demo's feed rows by it. */
export const SAMPLE_FEED_PATH = '/tidings-demo/sample-feed.xml';

/** The sample feed on a loopback port, every date moved so that the newest post is six hours old. */
export async function serveSampleFeed(): Promise<{ url: string; close: () => void }> {
  const source = readFileSync(path.join(projectRoot(), 'demo', 'sample-feed.xml'), 'utf8');
  const dates = [...source.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((match) => Date.parse(match[1]));
  const shift = Date.now() - 6 * 3_600_000 - Math.max(...dates);
  const body = source.replace(
    /<pubDate>([^<]+)<\/pubDate>/g,
    (_, date: string) => `<pubDate>${new Date(Date.parse(date) + shift).toUTCString()}</pubDate>`,
  );
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(body),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${SAMPLE_FEED_PATH}`,
    close: () => server.close(),
  };
}
