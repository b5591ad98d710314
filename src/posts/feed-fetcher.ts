import { Injectable } from '@nestjs/common';
import { fetch, type Response } from 'undici';
import { AppConfig } from '../config/app-config.js';
import { FeedAddressGuard, FeedAddressRefused } from './feed-address-guard.js';
import { decodeFeedBody } from './feed-encoding.js';
import { FeedReadError } from './feed-read-error.js';
import { toHttpUrl } from './http-url.js';

/** Validators from the last good answer, sent back as If-None-Match / If-Modified-Since. */
export interface FeedValidators {
  etag: string | null;
  lastModified: string | null;
}

export type FetchedFeed =
  | { notModified: true; url: string }
  | { notModified: false; url: string; body: string; contentType: string; validators: FeedValidators; bytes: number };

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/rdf+xml, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

/**
 * Fetches a feed with every limit a remote server could otherwise push past: one deadline for the
 * whole exchange (redirects and body included), a byte cap enforced while streaming (a missing or
 * lying Content-Length does not help), and redirects followed by hand so that their number and
 * their schemes are ours to bound.
 */
@Injectable()
export class FeedFetcher {
  constructor(
    private readonly config: AppConfig,
    private readonly guard: FeedAddressGuard,
  ) {}

  /** Fetches `feedUrl`, conditionally when validators are given. With `nullOn404`, a 404 answers null (a guessed page past the last one). */
  async fetch(feedUrl: string, validators: FeedValidators, options?: { nullOn404?: false }): Promise<FetchedFeed>;
  async fetch(
    feedUrl: string,
    validators: FeedValidators,
    options: { nullOn404: boolean },
  ): Promise<FetchedFeed | null>;
  async fetch(
    feedUrl: string,
    validators: FeedValidators,
    options: { nullOn404?: boolean } = {},
  ): Promise<FetchedFeed | null> {
    const { timeoutMs, maxRedirects, userAgent } = this.config.feeds;
    const signal = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: ACCEPT };
    if (validators.etag) headers['If-None-Match'] = validators.etag;
    if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;
    let url = feedUrl;
    let from: string | null = null;
    try {
      // Credentials in the feed's URL become a Basic header (fetch refuses them in a URL), sent to that origin only.
      const login = basicLogin(feedUrl);
      for (let redirects = 0; ; redirects++) {
        await this.guard.check(url);
        const target = new URL(url);
        target.username = target.password = '';
        const response = await fetch(target, {
          redirect: 'manual',
          signal,
          headers: login?.origin === target.origin ? { ...headers, Authorization: login.header } : headers,
          dispatcher: this.guard.dispatcher,
        });
        if (response.status >= 300 && response.status < 400 && response.status !== 304) {
          await response.body?.cancel();
          const location = response.headers.get('location');
          if (!location) throw new FeedReadError(`${url} answered HTTP ${response.status} without a Location header`);
          if (redirects >= maxRedirects)
            throw new FeedReadError(
              `too many redirects (more than ${maxRedirects}); last one from ${url} to ${location}`,
            );
          const next = toHttpUrl(location, url);
          if (!next) throw new FeedReadError(`${url} redirects to ${location}, which is not an http(s) URL`);
          from = url;
          url = next;
          continue;
        }
        if (response.status === 304) {
          await response.body?.cancel();
          // "Not modified" since what? Without validators the server is broken or a cache lies:
          // taking it for success would keep a feed silently frozen.
          if (!validators.etag && !validators.lastModified)
            throw new FeedReadError(
              `${url} answered HTTP 304 Not Modified to a request that sent no validators (no If-None-Match, no If-Modified-Since)`,
            );
          return { notModified: true, url };
        }
        if (response.status === 404 && options.nullOn404) {
          await response.body?.cancel();
          return null;
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new FeedReadError(
            `${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
          );
        }
        const contentType = response.headers.get('content-type') ?? '';
        const body = await this.readCapped(response, url);
        return {
          notModified: false,
          url,
          body: decodeFeedBody(body, contentType),
          contentType,
          bytes: body.byteLength,
          validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
        };
      }
    } catch (error) {
      const refused = [error, (error as { cause?: unknown })?.cause].find((e) => e instanceof FeedAddressRefused);
      // One wording whether the check before the hop or the connection's own lookup refused: nothing was sent either way.
      if (refused)
        throw new FeedAddressRefused(
          `refused ${url}${from ? ` (a redirect from ${from})` : ''}: ${refused.message}; feeds are read from public addresses only (FEED_ALLOW_PRIVATE=true allows a blog on your own network)`,
        );
      if (error instanceof FeedReadError) throw error;
      if (signal.aborted) throw new FeedReadError(`timed out after ${timeoutMs} ms (FEED_TIMEOUT_MS)`);
      throw new FeedReadError(`could not fetch ${url}: ${describeNetworkError(error)}`);
    }
  }

  private async readCapped(response: Response, url: string): Promise<Uint8Array> {
    const { maxBytes } = this.config.feeds;
    const tooLarge = () => new FeedReadError(`${url} is larger than ${maxBytes} bytes (FEED_MAX_BYTES)`);
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    if (!response.body) return new Uint8Array();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  }
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND ...) in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

/** `Authorization: Basic` for the user and password of `url`, and the origin it is for; null without them. */
function basicLogin(url: string): { origin: string; header: string } | null {
  const { username, password, origin } = new URL(url);
  if (!username && !password) return null;
  const pair = `${percentDecoded(username)}:${percentDecoded(password)}`;
  return { origin, header: `Basic ${Buffer.from(pair).toString('base64')}` };
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a lone % the URL parser let through
  }
}
