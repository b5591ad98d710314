import type { FeedEntry } from './feed-entry.js';
import { toPostDraft } from './post-draft.js';

describe(toPostDraft.name, () => {
  const sut = toPostDraft;
  const feedUrl = 'https://www.bhmpc.com/feed/';
  const entry = (overrides: Partial<FeedEntry>): FeedEntry => ({ images: [], categories: [], ...overrides });

  it('skips an item whose link is not http(s), even with an http id', () => {
    const result = sut(
      entry({ title: 'Sneaky', link: 'javascript:alert(1)', id: 'https://www.bhmpc.com/?p=1' }),
      feedUrl,
    );
    expect(result).toEqual({
      ok: false,
      reason: 'item "Sneaky" skipped: its link "javascript:alert(1)" is not an http(s) URL',
    });
  });

  it('uses a URL id as the link when there is no link', () => {
    const result = sut(entry({ title: 'Permalink guid', id: 'https://www.bhmpc.com/p/1/' }), feedUrl);
    expect(result).toMatchObject({
      ok: true,
      draft: { url: 'https://www.bhmpc.com/p/1/', guid: 'https://www.bhmpc.com/p/1/' },
    });
  });

  it('titles an untitled item with the start of its text, and skips one with neither', () => {
    expect(sut(entry({ link: 'https://www.bhmpc.com/n/', summary: 'A note without a title.' }), feedUrl)).toMatchObject(
      { ok: true, draft: { title: 'A note without a title.' } },
    );
    expect(sut(entry({ link: 'https://www.bhmpc.com/n/' }), feedUrl)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no title'),
    });
  });

  it('keeps the date null when the feed gives none, so the first-seen time applies', () => {
    expect(sut(entry({ title: 'T', link: 'https://www.bhmpc.com/t/', date: 'not a date' }), feedUrl)).toMatchObject({
      ok: true,
      draft: { publishedAt: null },
    });
  });

  it('resolves a relative link against the xml:base in scope, and drops tracking parameters', () => {
    const result = sut(
      entry({
        title: 'T',
        link: '2025/11/post/?utm_source=feed&utm_medium=rss&p=7#comments',
        base: 'https://www.bhmpc.com/blog/',
      }),
      feedUrl,
    );
    expect(result).toMatchObject({ ok: true, draft: { url: 'https://www.bhmpc.com/blog/2025/11/post/?p=7' } });
  });

  it('de-duplicates categories and cuts long ones', () => {
    const result = sut(
      entry({
        title: 'T',
        link: 'https://www.bhmpc.com/t/',
        categories: ['Policy', 'Policy', undefined, `${'x'.repeat(150)}`],
      }),
      feedUrl,
    );
    expect(result.ok && result.draft.categories.map((category) => category.length)).toEqual([6, 100]);
  });
});
