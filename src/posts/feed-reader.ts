import { type AnyFeed, DetectError, MalformedError, parseFeed } from 'feedsmith';
import { checkFeedBody, htmlPageMessage } from './feed-body-check.js';
import type { ReadFeed } from './feed-entry.js';
import { FeedReadError } from './feed-read-error.js';
import type { ImageCandidate } from './post-image.js';

type Sized = { url?: string; type?: string; medium?: string; width?: number; height?: number; fileSize?: number };
type MediaBlock = { contents?: Sized[]; thumbnails?: Sized[]; groups?: (MediaBlock | undefined)[] } | undefined;
type XmlBase = { xml?: { base?: string } } | undefined;
type Link = { href?: string; rel?: string };

/** media:content (also inside media:group), then media:thumbnail, each with its declared size. */
function mediaImages(media: MediaBlock): ImageCandidate[] {
  if (!media) return [];
  const contents = [...(media.contents ?? []), ...(media.groups ?? []).flatMap((group) => group?.contents ?? [])];
  const thumbnails = [...(media.thumbnails ?? []), ...(media.groups ?? []).flatMap((group) => group?.thumbnails ?? [])];
  return [...contents, ...thumbnails.map((thumbnail) => ({ ...thumbnail, medium: 'image' }))];
}

const names = (values: (string | undefined)[] | undefined) =>
  (values ?? []).filter((value): value is string => typeof value === 'string');

/** `xml:base` of `node` resolved against the base in scope (RFC 3986 resolution, as XML Base says). */
function withBase(node: XmlBase, inScope: string | undefined): string | undefined {
  const declared = node?.xml?.base?.trim();
  if (!declared) return inScope;
  try {
    return new URL(declared, inScope).href;
  } catch {
    return inScope;
  }
}

/** The next older page a feed points to (RFC 5005: prev-archive for archived feeds, next for paged ones), resolved. */
function olderPage(links: Link[] | undefined, base: string | undefined): string | null {
  const link =
    (links ?? []).find((candidate) => candidate.rel === 'prev-archive') ??
    (links ?? []).find((candidate) => candidate.rel === 'next');
  if (!link?.href) return null;
  try {
    return new URL(link.href, base).href;
  } catch {
    return null;
  }
}

/**
 * Reads a feed body with feedsmith, which detects and parses RSS 2.0, Atom 1.0, RDF (RSS 1.0)
 * and JSON Feed, and maps each format's item onto one `FeedEntry`. Throws a `FeedReadError`
 * saying what the body was instead of a feed. `url` is the document's address, the outermost
 * base of relative links; `bytes` its size as received, for the error of a truncated feed.
 */
export function readFeed(body: string, contentType: string, source: { url?: string; bytes?: number } = {}): ReadFeed {
  const text = body.replace(/^\uFEFF/, '').trim();
  checkFeedBody(text, contentType, source.bytes ?? Buffer.byteLength(body));
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    throw new FeedReadError(describeParseError(error, text, contentType));
  }
  switch (parsed.format) {
    case 'rss': {
      const feedBase = withBase(parsed.feed, source.url);
      return {
        format: 'rss',
        title: parsed.feed.title ?? null,
        olderPage: olderPage(parsed.feed.atom?.links, feedBase),
        wordpress: /wordpress/i.test(parsed.feed.generator ?? ''),
        entries: (parsed.feed.items ?? []).map((item) => ({
          id: item.guid?.value,
          link: item.link,
          title: item.title ?? item.dc?.titles?.[0],
          summary: item.description,
          content: item.content?.encoded,
          images: [...(item.enclosures ?? []), ...mediaImages(item.media)],
          author: item.dc?.creators?.[0] ?? item.authors?.[0]?.name ?? item.authors?.[0]?.email,
          categories: [...(item.categories ?? []).map((category) => category.name), ...names(item.dc?.subjects)],
          date: item.pubDate ?? item.dc?.dates?.[0],
          base: withBase(item as XmlBase, feedBase),
        })),
      };
    }
    case 'atom': {
      const feedBase = withBase(parsed.feed, source.url);
      const generator = parsed.feed.generator;
      return {
        format: 'atom',
        title: parsed.feed.title?.value ?? null,
        olderPage: olderPage(parsed.feed.links, feedBase),
        wordpress: /wordpress/i.test(`${generator?.text ?? ''} ${generator?.uri ?? ''}`),
        entries: (parsed.feed.entries ?? []).map((entry) => {
          const links = entry.links ?? [];
          const alternate = links.find((link) => !link.rel || link.rel === 'alternate') ?? links[0];
          const base = withBase(entry, feedBase);
          return {
            id: entry.id,
            link: alternate?.href,
            title: entry.title?.value,
            summary: entry.summary?.value,
            content: entry.content?.value,
            images: [
              ...links.filter((link) => link.rel === 'enclosure').map((link) => ({ url: link.href, type: link.type })),
              ...mediaImages(entry.media),
            ],
            author: entry.authors?.[0]?.name,
            categories: (entry.categories ?? []).map((category) => category.label ?? category.term),
            date: entry.published ?? entry.updated,
            base,
            contentBase: entry.content?.xml?.base ? withBase(entry.content, base) : undefined,
          };
        }),
      };
    }
    case 'rdf': {
      const feedBase = withBase(parsed.feed, source.url);
      return {
        format: 'rdf',
        title: parsed.feed.title ?? null,
        olderPage: null,
        wordpress: false,
        entries: (parsed.feed.items ?? []).map((item) => ({
          id: item.rdf?.about,
          link: item.link,
          title: item.title,
          summary: item.description ?? item.dc?.descriptions?.[0],
          content: item.content?.encoded,
          images: mediaImages(item.media),
          author: item.dc?.creators?.[0],
          categories: names(item.dc?.subjects),
          date: item.dc?.dates?.[0],
          base: withBase(item as XmlBase, feedBase),
        })),
      };
    }
    case 'json':
      return {
        format: 'json',
        title: parsed.feed.title ?? null,
        olderPage: olderPage([{ rel: 'next', href: (parsed.feed as { next_url?: string }).next_url }], source.url),
        wordpress: false,
        entries: (parsed.feed.items ?? []).map((item) => ({
          id: item.id,
          link: item.url ?? item.external_url,
          title: item.title,
          summary: item.summary ?? item.content_text ?? undefined,
          content: item.content_html,
          images: [
            { url: item.image, medium: 'image' },
            { url: item.banner_image, medium: 'image' },
            ...(item.attachments ?? []).map((attachment) => ({ url: attachment.url, type: attachment.mime_type })),
          ],
          author: item.authors?.[0]?.name,
          categories: names(item.tags),
          date: item.date_published ?? item.date_modified,
          base: source.url,
        })),
      };
  }
}

function describeParseError(error: unknown, body: string, contentType: string): string {
  if (/^text\/html/i.test(contentType)) return htmlPageMessage(contentType);
  if (error instanceof MalformedError) {
    const cause = (error.cause as Error | undefined)?.message;
    return `the feed is not well-formed ${body.startsWith('<') ? 'XML' : 'JSON'}${cause ? `: ${cause}` : ''}`;
  }
  if (error instanceof DetectError)
    return `the answer is not an RSS, Atom, RDF or JSON feed (Content-Type: ${contentType || 'none'})`;
  return `the feed could not be parsed: ${(error as Error)?.message ?? String(error)}`;
}
