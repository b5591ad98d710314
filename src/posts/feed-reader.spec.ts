import fc from 'fast-check';
import { runs } from '../../test/support/arbitraries.js';
import { decodeFeedBody } from './feed-encoding.js';
import { FeedReadError } from './feed-read-error.js';
import { readFeed } from './feed-reader.js';

const CONTENT_TYPES = [
  'application/rss+xml; charset=UTF-8',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'text/xml; charset=iso-8859-1',
  'text/html; charset=utf-8',
  'text/plain; charset=utf-16',
  '',
];

/** Text as it may come in a feed's fields, escaped for XML (characters XML 1.0 forbids left out) or raw. */
const fieldText = fc.string({ unit: 'binary', maxLength: 30 });
const xmlEscaped = (text: string) =>
  text
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
const items = fc.array(
  fc.record({ title: fieldText, link: fieldText, id: fieldText, date: fieldText, text: fieldText }),
  { maxLength: 4 },
);

type Item = { title: string; link: string; id: string; date: string; text: string };
const rss = (title: string, entries: Item[], esc: (text: string) => string) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>https://blog.example/</link><description>d</description>${entries
    .map(
      (item) =>
        `<item><title>${esc(item.title)}</title><link>${esc(item.link)}</link><guid>${esc(item.id)}</guid><pubDate>${esc(item.date)}</pubDate><description>${esc(item.text)}</description></item>`,
    )
    .join('')}</channel></rss>`;
const atom = (title: string, entries: Item[], esc: (text: string) => string) =>
  `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:blog</id><title>${esc(title)}</title><updated>2025-11-03T10:00:00Z</updated>${entries
    .map(
      (item) =>
        `<entry><title>${esc(item.title)}</title><link href="${esc(item.link)}"/><id>${esc(item.id)}</id><updated>${esc(item.date)}</updated><summary>${esc(item.text)}</summary></entry>`,
    )
    .join('')}</feed>`;
const json = (title: string, entries: Item[]) =>
  JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    items: entries.map((item) => ({
      id: item.id,
      url: item.link,
      title: item.title,
      content_text: item.text,
      date_published: item.date,
    })),
  });

/** Well-formed feeds of each format, with anything in their items' fields, and the number of items each holds. */
const wellFormed = fc.tuple(fc.constantFrom('rss', 'atom', 'json'), items).map(([format, entries]) => ({
  body: format === 'json' ? json('Blog', entries) : (format === 'rss' ? rss : atom)('Blog', entries, xmlEscaped),
  count: entries.length,
}));

/** Bytes a server might send: noise, a feed with its fields unescaped, or a feed cut anywhere. */
const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.tuple(fieldText, items).map(([title, entries]) => Buffer.from(rss(title, entries, (text) => text))),
  fc.tuple(wellFormed, fc.nat()).map(([{ body }, cut]) => Buffer.from(body).subarray(0, cut % (body.length + 1))),
);

/** readFeed's outcome: its entries, or the FeedReadError it threw (anything else fails the property). */
function outcome(body: string, contentType: string): { entries: number } | FeedReadError {
  try {
    return { entries: readFeed(body, contentType, { url: 'https://blog.example/feed/' }).entries.length };
  } catch (error) {
    expect(error).toBeInstanceOf(FeedReadError);
    return error as FeedReadError;
  }
}

describe(readFeed.name, () => {
  it('turns any bytes into entries or a FeedReadError saying why, never another error', () => {
    fc.assert(
      fc.property(anyBody, fc.constantFrom(...CONTENT_TYPES), (bytes, contentType) => {
        const result = outcome(decodeFeedBody(bytes, contentType), contentType);
        if (result instanceof FeedReadError) expect(result.message).toMatch(/\S/);
      }),
      runs(200),
    );
  });

  it('reads every item of a well-formed feed, whatever its fields hold', () => {
    fc.assert(
      fc.property(wellFormed, ({ body, count }) => {
        expect(outcome(body, '')).toEqual({ entries: count });
      }),
      runs(200),
    );
  });

  it('never takes a feed cut short for a whole one', () => {
    fc.assert(
      fc.property(wellFormed, fc.nat(), ({ body }, at) => {
        const cut = body.slice(0, at % body.length);
        expect(outcome(cut, 'application/rss+xml')).toBeInstanceOf(FeedReadError);
      }),
      runs(200),
    );
  });
});
