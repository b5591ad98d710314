import { jest } from '@jest/globals';
import { HTML_BUDGET_BYTES, renderWithinClip } from './digest-fit.js';
import type { DigestDraft, DigestRenderer, RenderedDigest } from './digest-renderer.js';

/** A renderer whose HTML is 20 KB of frame plus `cardBytes` per card. */
function renderer(cardBytes: number) {
  const render = jest.fn(async (draft: DigestDraft): Promise<RenderedDigest> => ({
    subject: 's',
    preheader: 'p',
    html: 'x'.repeat(20 * 1024 + draft.posts.length * cardBytes),
    text: 't',
  }));
  return { sut: { render } as unknown as DigestRenderer, render };
}

const draft = (cards: number): DigestDraft => ({
  id: 'd',
  period: { start: new Date(0), end: new Date(1) },
  posts: Array.from({ length: cards }, (_, i) => ({
    id: `p${i}`,
    url: 'https://x.test/',
    title: 't',
    summary: '',
    imageUrl: null,
    author: null,
    publishedAt: new Date(0),
  })),
  moreCount: 2,
});

describe(renderWithinClip.name, () => {
  it('renders once and changes nothing when the digest fits', async () => {
    const { sut, render } = renderer(2_000);
    const result = await renderWithinClip(sut, draft(10));
    expect(render).toHaveBeenCalledTimes(1);
    expect(result.draft.posts).toHaveLength(10);
    expect(result.notes).toEqual([]);
  });

  it('keeps as many cards as fit, newest first, moves the rest to "more", and says so', async () => {
    const { sut, render } = renderer(4_000);
    const result = await renderWithinClip(sut, draft(40));
    const fitting = Math.floor((HTML_BUDGET_BYTES - 20 * 1024) / 4_000);
    expect(result.draft.posts.map((post) => post.id)).toEqual(draft(fitting).posts.map((post) => post.id));
    expect(result.draft.moreCount).toBe(2 + 40 - fitting);
    expect(Buffer.byteLength(result.rendered.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    expect(render.mock.calls.length).toBeLessThanOrEqual(4);
    expect(result.notes).toEqual([
      {
        kind: 'trimmed',
        message: expect.stringMatching(
          `^trimmed to ${fitting} of 40 cards: with all of them the HTML part would be 176.3 KB`,
        ),
      },
    ]);
  });

  it('keeps one card however large it is: the pre-release check then holds the digest', async () => {
    const { sut } = renderer(200 * 1024);
    const result = await renderWithinClip(sut, draft(3));
    expect(result.draft.posts).toHaveLength(1);
    expect(result.draft.moreCount).toBe(4);
  });
});
