import { XMLValidator } from 'fast-xml-parser';
import { type AnyFeed, DetectError, MalformedError, parseFeed } from 'feedsmith';
import type { FeedEntry, ReadFeed } from './feed-entry.js';
import { FeedReadError } from './feed-read-error.js';

type MediaBlock = { contents?: { url?: string; type?: string; medium?: string }[]; thumbnails?: { url?: string }[]; groups?: (MediaBlock | undefined)[] } | undefined;

/** media:content (also inside media:group), then media:thumbnail. */
function mediaImages(media: MediaBlock): FeedEntry['images'] {
  if (!media) return [];
  const contents = [...(media.contents ?? []), ...(media.groups ?? []).flatMap((group) => group?.contents ?? [])];
  const thumbnails = [...(media.thumbnails ?? []), ...(media.groups ?? []).flatMap((group) => group?.thumbnails ?? [])];
  return [...contents, ...thumbnails.map((thumbnail) => ({ url: thumbnail.url, medium: 'image' }))];
}

const names = (values: (string | undefined)[] | undefined) => (values ?? []).filter((value): value is string => typeof value === 'string');

/**
 * Reads a feed body with feedsmith, which detects and parses RSS 2.0, Atom 1.0, RDF (RSS 1.0)
 * and JSON Feed, and maps each format's item onto one `FeedEntry`. Throws a `FeedReadError`
 * saying what the body was instead of a feed.
 */
export function readFeed(body: string, contentType: string): ReadFeed {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text) throw new FeedReadError('the answer is empty, not a feed');
  if (/^(<!doctype html|<html)/i.test(text)) throw new FeedReadError(htmlPage(contentType));
  if (text.startsWith('<')) {
    // feedsmith's XML parser is lenient: it reads a truncated or mis-nested document as far as it
    // can. A feed that is not well-formed is refused instead, so that the operator hears of it.
    const check = XMLValidator.validate(text);
    if (check !== true) throw new FeedReadError(`the feed is not well-formed XML: ${check.err.msg} (line ${check.err.line}, column ${check.err.col})`);
  }
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    throw new FeedReadError(describeParseError(error, text, contentType));
  }
  switch (parsed.format) {
    case 'rss':
      return {
        format: 'rss',
        title: parsed.feed.title ?? null,
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
        })),
      };
    case 'atom':
      return {
        format: 'atom',
        title: parsed.feed.title?.value ?? null,
        entries: (parsed.feed.entries ?? []).map((entry) => {
          const links = entry.links ?? [];
          const alternate = links.find((link) => !link.rel || link.rel === 'alternate') ?? links[0];
          return {
            id: entry.id,
            link: alternate?.href,
            title: entry.title?.value,
            summary: entry.summary?.value,
            content: entry.content?.value,
            images: [...links.filter((link) => link.rel === 'enclosure').map((link) => ({ url: link.href, type: link.type })), ...mediaImages(entry.media)],
            author: entry.authors?.[0]?.name,
            categories: (entry.categories ?? []).map((category) => category.label ?? category.term),
            date: entry.published ?? entry.updated,
          };
        }),
      };
    case 'rdf':
      return {
        format: 'rdf',
        title: parsed.feed.title ?? null,
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
        })),
      };
    case 'json':
      return {
        format: 'json',
        title: parsed.feed.title ?? null,
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
        })),
      };
  }
}

function htmlPage(contentType: string): string {
  return `the answer is an HTML page (Content-Type: ${contentType || 'none'}), not a feed: check the feed URL`;
}

function describeParseError(error: unknown, body: string, contentType: string): string {
  if (/^text\/html/i.test(contentType)) return htmlPage(contentType);
  if (error instanceof MalformedError) {
    const cause = (error.cause as Error | undefined)?.message;
    return `the feed is not well-formed ${body.startsWith('<') ? 'XML' : 'JSON'}${cause ? `: ${cause}` : ''}`;
  }
  if (error instanceof DetectError) return `the answer is not an RSS, Atom, RDF or JSON feed (Content-Type: ${contentType || 'none'})`;
  return `the feed could not be parsed: ${(error as Error)?.message ?? String(error)}`;
}
