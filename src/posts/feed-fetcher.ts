import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
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
  constructor(private readonly config: AppConfig) {}

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
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await fetch(url, { redirect: 'manual', signal, headers });
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
          body: decode(body, contentType),
          contentType,
          bytes: body.byteLength,
          validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
        };
      }
    } catch (error) {
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

/**
 * The encoding of a body: a byte order mark first (it cannot lie, and UTF-16 is unreadable
 * without it or a header), then the charset of Content-Type, then the XML declaration, else UTF-8
 * (what JSON and XML default to). This is the order of the WHATWG encoding sniffing rules.
 */
function decode(bytes: Uint8Array, contentType: string): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const label =
    byteOrderMark(bytes) ??
    /charset="?([\w.:-]+)/i.exec(contentType)?.[1] ??
    /^<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function byteOrderMark(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND ...) in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
