import type { ComposeNote } from './compose-note.js';
import { GMAIL_CLIP_BYTES } from './digest-delivery-check.js';
import type { DigestDraft, DigestRenderer, RenderedDigest } from './digest-renderer.js';

/**
 * Room left under the clip for what changes per subscriber: the unsubscribe placeholder becomes
 * a real link, a few dozen bytes longer, in a handful of places.
 */
const PERSONALIZATION_MARGIN_BYTES = 2 * 1024;
export const HTML_BUDGET_BYTES = GMAIL_CLIP_BYTES - PERSONALIZATION_MARGIN_BYTES;

const bytesOf = (rendered: RenderedDigest) => Buffer.byteLength(rendered.html, 'utf8');
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/**
 * Renders the draft, and when its HTML part would be clipped by Gmail (which hides the footer and
 * the unsubscribe link), renders it again with fewer cards, the rest counted in "N more on the
 * blog". A busy week still goes out; the trim is noted for the operator. Cards cost about the
 * same, so after one render with a single card the fitting number is computed, then checked.
 */
export async function renderWithinClip(
  renderer: DigestRenderer,
  draft: DigestDraft,
): Promise<{ draft: DigestDraft; rendered: RenderedDigest; notes: ComposeNote[] }> {
  const full = await renderer.render(draft);
  const fullBytes = bytesOf(full);
  if (fullBytes <= HTML_BUDGET_BYTES || draft.posts.length <= 1) return { draft, rendered: full, notes: [] };

  const total = draft.posts.length;
  const withCards = (count: number): DigestDraft => ({
    ...draft,
    posts: draft.posts.slice(0, count),
    moreCount: draft.moreCount + total - count,
  });
  const single = await renderer.render(withCards(1));
  const perCard = (fullBytes - bytesOf(single)) / (total - 1);
  let count = Math.max(
    1,
    Math.min(total - 1, 1 + Math.floor((HTML_BUDGET_BYTES - bytesOf(single)) / Math.max(perCard, 1))),
  );
  let trimmed = withCards(count);
  let rendered = count === 1 ? single : await renderer.render(trimmed);
  while (bytesOf(rendered) > HTML_BUDGET_BYTES && count > 1) {
    count -= 1;
    trimmed = withCards(count);
    rendered = await renderer.render(trimmed);
  }
  const note: ComposeNote = {
    kind: 'trimmed',
    message: `trimmed to ${count} of ${total} cards: with all of them the HTML part would be ${kb(fullBytes)} KB and Gmail clips mail over ${GMAIL_CLIP_BYTES / 1024} KB; it is ${kb(bytesOf(rendered))} KB, and ${trimmed.moreCount} post(s) are linked as "more on the blog"`,
  };
  return { draft: trimmed, rendered, notes: [note] };
}
