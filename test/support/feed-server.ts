import { readFileSync } from 'node:fs';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type FeedHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/** A fixture under test/fixtures/feeds/. */
export function feedFixture(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feeds', name), 'utf8');
}

/** A fixture's bytes as stored, for encodings other than UTF-8. */
export function feedFixtureBytes(name: string): Buffer {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feeds', name));
}

/**
 * A feed body with validators, answering 304 when the client sends them back, as WordPress
 * (and most servers) do.
 */
export function feedResponse(
  body: string | Buffer,
  options: { contentType?: string; etag?: string; lastModified?: string } = {},
): FeedHandler {
  const { contentType = 'application/rss+xml; charset=UTF-8', etag, lastModified } = options;
  return (request, response) => {
    const fresh =
      (etag && request.headers['if-none-match'] === etag) ||
      (!etag && lastModified && request.headers['if-modified-since'] === lastModified);
    if (etag) response.setHeader('ETag', etag);
    if (lastModified) response.setHeader('Last-Modified', lastModified);
    if (fresh) {
      response.writeHead(304).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': contentType }).end(body);
  };
}

/** A real HTTP server on loopback serving feeds from handlers the test can swap between polls. */
export class FeedServer {
  readonly requests: SeenRequest[] = [];
  private readonly handlers = new Map<string, FeedHandler>();
  private server!: Server;
  private port = 0;

  static async start(): Promise<FeedServer> {
    const feeds = new FeedServer();
    feeds.server = createServer((request, response) => {
      const path = request.url ?? '/';
      feeds.requests.push({ path, headers: request.headers });
      const handler = feeds.handlers.get(path);
      if (handler) handler(request, response);
      else response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    });
    await new Promise<void>((resolve) => feeds.server.listen(0, '127.0.0.1', resolve));
    feeds.port = (feeds.server.address() as AddressInfo).port;
    return feeds;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  serve(path: string, handler: FeedHandler): this {
    this.handlers.set(path, handler);
    return this;
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    // Hanging handlers (the timeout case) never answer: cut their sockets.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
