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
  | { notModified: false; url: string; body: string; contentType: string; validators: FeedValidators };

const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/rdf+xml, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

/**
 * Fetches a feed with every limit a remote server could otherwise push past: one deadline for the
 * whole exchange (redirects and body included), a byte cap enforced while streaming (a missing or
 * lying Content-Length does not help), and redirects followed by hand so that their number and
 * their schemes are ours to bound.
 */
@Injectable()
export class FeedFetcher {
  constructor(private readonly config: AppConfig) {}

  async fetch(feedUrl: string, validators: FeedValidators): Promise<FetchedFeed> {
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
          if (redirects >= maxRedirects) throw new FeedReadError(`too many redirects (more than ${maxRedirects}); last one from ${url} to ${location}`);
          const next = toHttpUrl(location, url);
          if (!next) throw new FeedReadError(`${url} redirects to ${location}, which is not an http(s) URL`);
          url = next;
          continue;
        }
        if (response.status === 304) {
          await response.body?.cancel();
          return { notModified: true, url };
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new FeedReadError(`${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
        }
        const contentType = response.headers.get('content-type') ?? '';
        const body = await this.readCapped(response, url);
        return {
          notModified: false,
          url,
          body: decode(body, contentType),
          contentType,
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
    // fetch's body is a byte stream; Node's types leave its chunk type open.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
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

/** The charset from Content-Type, else from the XML declaration, else UTF-8 (what JSON and XML default to). */
function decode(bytes: Uint8Array, contentType: string): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const label = /charset="?([\w.:-]+)/i.exec(contentType)?.[1] ?? /^<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND ...) in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
