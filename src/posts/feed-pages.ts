import type { ReadFeed } from './feed-entry.js';
import type { FeedFetcher } from './feed-fetcher.js';
import { parseFeedDate } from './feed-date.js';
import { FeedReadError } from './feed-read-error.js';
import { readFeed } from './feed-reader.js';

/** One page of a feed as read: the newest is page 1. */
export interface FeedPage {
  number: number;
  url: string;
  read: ReadFeed;
}

export interface PageChain {
  /** Page 1 first, then each older page read. */
  pages: FeedPage[];
  /** The feed's posts are known complete back to here: the oldest date read, or 1970 when the feed's whole history was read. */
  coveredSince: Date;
  /** Older pages that could not be read, or the page cap reached before `since`. */
  warnings: string[];
}

/** Stands for "every post the feed has ever offered was read". */
export const WHOLE_HISTORY = new Date(0);

/**
 * Follows a feed's older pages until its posts reach back to `since`: RFC 5005 links
 * (`prev-archive` for archived feeds, `next` for paged ones), else, for WordPress, which serves
 * only its newest posts (10 by default) and pages with `?paged=N` without announcing it, the
 * next `paged` number. Stops at `maxPages` pages in all, at a page seen before, and at a page
 * that brings nothing new. An older page that fails costs a warning, not the poll.
 */
export async function readOlderPages(
  fetcher: FeedFetcher,
  first: FeedPage,
  since: Date,
  maxPages: number,
): Promise<PageChain> {
  const pages = [first];
  const warnings: string[] = [];
  const seen = new Set([first.url]);
  const guids = new Set(first.read.entries.map((entry) => entryKey(entry)));
  let oldest = oldestDate(first.read);
  let next = nextPage(first);
  let complete = true;
  while (next) {
    if (oldest && oldest < since) {
      complete = false;
      break;
    }
    if (pages.length >= maxPages) {
      warnings.push(
        `read ${maxPages} pages (FEED_MAX_PAGES) and the feed still goes on: posts older than ${oldest?.toISOString() ?? 'the last page'} were not read`,
      );
      complete = false;
      break;
    }
    if (seen.has(next.url)) break;
    seen.add(next.url);
    let page: FeedPage;
    try {
      const fetched = await fetcher.fetch(next.url, { etag: null, lastModified: null }, { nullOn404: next.guessed });
      if (!fetched) break; // WordPress answers 404 past its last page.
      if (fetched.notModified) throw new FeedReadError('answered 304 Not Modified');
      page = {
        number: pages.length + 1,
        url: fetched.url,
        read: readFeed(fetched.body, fetched.contentType, { url: fetched.url, bytes: fetched.bytes }),
      };
    } catch (error) {
      warnings.push(
        `page ${pages.length + 1} (${next.url}) could not be read: ${error instanceof FeedReadError ? error.message : String(error)}`,
      );
      complete = false;
      break;
    }
    const fresh = page.read.entries.filter((entry) => !guids.has(entryKey(entry)));
    // A server that ignores ?paged= answers page 1 again: nothing older is to be had.
    if (!fresh.length) {
      complete = !next.guessed && !page.read.entries.length;
      break;
    }
    for (const entry of page.read.entries) guids.add(entryKey(entry));
    pages.push(page);
    const pageOldest = oldestDate(page.read);
    if (pageOldest && (!oldest || pageOldest < oldest)) oldest = pageOldest;
    // A page without a single date says nothing about coverage, and neither will the next.
    if (!pageOldest) break;
    next = nextPage(page);
  }
  return { pages, coveredSince: complete ? WHOLE_HISTORY : (oldest ?? WHOLE_HISTORY), warnings };
}

function nextPage(page: FeedPage): { url: string; guessed: boolean } | null {
  if (page.read.olderPage) return { url: page.read.olderPage, guessed: false };
  if (!page.read.wordpress || !page.read.entries.length) return null;
  const url = new URL(page.url);
  url.searchParams.set('paged', String(page.number + 1));
  return { url: url.href, guessed: true };
}

function oldestDate(read: ReadFeed): Date | null {
  let oldest: Date | null = null;
  for (const entry of read.entries) {
    const date = parseFeedDate(entry.date);
    if (date && (!oldest || date < oldest)) oldest = date;
  }
  return oldest;
}

/** What tells two entries of a feed apart across its pages: the guid, else the link. */
function entryKey(entry: { id?: unknown; link?: unknown }): string {
  const key = entry.id ?? entry.link;
  return typeof key === 'string' || typeof key === 'number' ? String(key) : JSON.stringify(key ?? null);
}
