import type { FeedFetcher, FetchedFeed } from './feed-fetcher.js';
import { type FeedPage, readOlderPages, WHOLE_HISTORY } from './feed-pages.js';
import { readFeed } from './feed-reader.js';

const BASE = 'https://www.bhmpc.com/feed/';
const rss = (days: number[], extra = '') =>
  `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>${extra}${days
    .map(
      (day) =>
        `<item><title>Day ${day}</title><link>https://www.bhmpc.com/day-${day}/</link><pubDate>${new Date(Date.UTC(2025, 10, day, 12)).toUTCString()}</pubDate></item>`,
    )
    .join('')}</channel></rss>`;
const WORDPRESS = '<generator>https://wordpress.org/?v=6.8</generator>';

/** A fetcher answering from a map of URL to body; anything else is a 404. */
function fetcherFor(pages: Record<string, string>) {
  const asked: string[] = [];
  const fetcher = {
    async fetch(url: string, _validators: unknown, options: { nullOn404?: boolean } = {}): Promise<FetchedFeed | null> {
      asked.push(url);
      const body = pages[url];
      if (body === undefined) {
        if (options.nullOn404) return null;
        throw new Error(`404 for ${url}`);
      }
      return {
        notModified: false,
        url,
        body,
        contentType: 'application/rss+xml',
        validators: { etag: null, lastModified: null },
        bytes: body.length,
      };
    },
  } as unknown as FeedFetcher;
  return { fetcher, asked };
}

const first = (body: string): FeedPage => ({
  number: 1,
  url: BASE,
  read: readFeed(body, 'application/rss+xml', { url: BASE }),
});
const since = new Date(Date.UTC(2025, 10, 3, 13));

describe(readOlderPages.name, () => {
  it('reads nothing more when the first page reaches back far enough', async () => {
    const { fetcher, asked } = fetcherFor({});
    const chain = await readOlderPages(fetcher, first(rss([9, 5, 2], WORDPRESS)), since, 5);
    expect(asked).toEqual([]);
    expect(chain.coveredSince).toEqual(new Date(Date.UTC(2025, 10, 2, 12)));
  });

  it('follows WordPress ?paged= pages until the period is covered', async () => {
    const { fetcher, asked } = fetcherFor({
      [`${BASE}?paged=2`]: rss([7, 6], WORDPRESS),
      [`${BASE}?paged=3`]: rss([5, 1], WORDPRESS),
    });
    const chain = await readOlderPages(fetcher, first(rss([9, 8], WORDPRESS)), since, 5);
    expect(asked).toEqual([`${BASE}?paged=2`, `${BASE}?paged=3`]);
    expect(chain.pages.map((page) => page.number)).toEqual([1, 2, 3]);
    expect(chain.warnings).toEqual([]);
  });

  it('takes a 404 past the last WordPress page as the end of the whole history', async () => {
    const { fetcher } = fetcherFor({ [`${BASE}?paged=2`]: rss([7], WORDPRESS) });
    const chain = await readOlderPages(fetcher, first(rss([9, 8], WORDPRESS)), since, 5);
    expect(chain.pages).toHaveLength(2);
    expect(chain.coveredSince).toEqual(WHOLE_HISTORY);
  });

  it('stops at a server that ignores ?paged= and answers the first page again', async () => {
    const { fetcher, asked } = fetcherFor({ [`${BASE}?paged=2`]: rss([9, 8], WORDPRESS) });
    const chain = await readOlderPages(fetcher, first(rss([9, 8], WORDPRESS)), since, 5);
    expect(asked).toHaveLength(1);
    expect(chain.pages).toHaveLength(1);
    expect(chain.coveredSince).toEqual(new Date(Date.UTC(2025, 10, 8, 12)));
  });

  it('follows RFC 5005 links, stops at the page cap and says so', async () => {
    const link = (href: string) => `<atom:link rel="prev-archive" href="${href}"/>`;
    const { fetcher } = fetcherFor({
      'https://www.bhmpc.com/a2.xml': rss([7], link('a1.xml')),
      'https://www.bhmpc.com/a1.xml': rss([5], link('a0.xml')),
    });
    const chain = await readOlderPages(fetcher, first(rss([9], link('/a2.xml'))), since, 3);
    expect(chain.pages.map((page) => page.url)).toEqual([
      BASE,
      'https://www.bhmpc.com/a2.xml',
      'https://www.bhmpc.com/a1.xml',
    ]);
    expect(chain.coveredSince).toEqual(new Date(Date.UTC(2025, 10, 5, 12)));
    expect(chain.warnings).toEqual([
      'read 3 pages (FEED_MAX_PAGES) and the feed still goes on: posts older than 2025-11-05T12:00:00.000Z were not read',
    ]);
  });

  it('keeps the pages read when an older one fails, with a warning', async () => {
    const { fetcher } = fetcherFor({});
    const chain = await readOlderPages(fetcher, first(rss([9], '<atom:link rel="next" href="?page=2"/>')), since, 5);
    expect(chain.pages).toHaveLength(1);
    expect(chain.warnings).toEqual([`page 2 (${BASE}?page=2) could not be read: Error: 404 for ${BASE}?page=2`]);
  });
});
