import type { FeedEntry } from './feed-entry.js';
import { parseFeedDate } from './feed-date.js';
import { stripTracking } from './canonical-url.js';
import { toHttpUrl } from './http-url.js';
import { cleanPlainText, htmlToPlainText, truncateText } from './plain-text.js';
import { chooseGuid } from './post-guid.js';
import { imageChoices } from './post-draft-image.js';
import { POST_LIMITS } from './posts.constants.js';

/** A post's values as they go into the database: plain text, http(s) URLs, sizes within the columns. */
export interface PostDraft {
  guid: string;
  url: string;
  title: string;
  summary: string;
  imageUrl: string | null;
  author: string | null;
  categories: string[];
  /** Null when the feed gives no usable date: the post then takes its first-seen time. */
  publishedAt: Date | null;
  /** Every usable image, best first; `imageUrl` is the first unless the feed repeats it on most items. */
  imageCandidates: string[];
}

export type DraftResult = { ok: true; draft: PostDraft } | { ok: false; reason: string };

/**
 * Cleans one feed entry into a post, or says why it cannot be one. Relative links resolve
 * against the entry's xml:base, else `feedUrl` (feeds that do that exist). Tracking parameters
 * (utm_* ...) are dropped from the link: the digest links the article, not a campaign.
 */
export function toPostDraft(entry: FeedEntry, feedUrl: string): DraftResult {
  // No link at all: an id that is a URL (an RSS permalink guid, an Atom tag) is the link. A link
  // that is there but not http(s) is refused outright, whatever the id says.
  const hasLink = typeof entry.link === 'string' && entry.link.trim() !== '';
  const linked = hasLink
    ? toHttpUrl(entry.link, entry.base ?? feedUrl)
    : typeof entry.id === 'string'
      ? toHttpUrl(entry.id)
      : null;
  const url = linked && stripTracking(linked);
  const label = describe(entry);
  if (!url)
    return {
      ok: false,
      reason: `${label} skipped: its link ${JSON.stringify(entry.link ?? null)} is not an http(s) URL`,
    };
  const guid = chooseGuid(entry.id, url);
  if (!guid) return { ok: false, reason: `${label} skipped: it has neither a guid nor a link` };

  const summary = htmlToPlainText(entry.summary) || htmlToPlainText(entry.content);
  // JSON Feed items (and some microblogs) have no title; the start of the text stands in.
  const title = htmlToPlainText(entry.title) || truncateText(summary, 80);
  if (!title) return { ok: false, reason: `${label} skipped: it has no title and no text` };

  const categories = [
    ...new Set(
      entry.categories.map((category) => truncateText(htmlToPlainText(category), POST_LIMITS.category)).filter(Boolean),
    ),
  ];
  const author = truncateText(htmlToPlainText(entry.author), POST_LIMITS.author);
  const imageCandidates = imageChoices(entry, url);
  return {
    ok: true,
    draft: {
      guid,
      url,
      title: truncateText(title, POST_LIMITS.title),
      summary: truncateText(summary, POST_LIMITS.summary),
      imageUrl: imageCandidates[0] ?? null,
      imageCandidates,
      author: author || null,
      categories: categories.slice(0, POST_LIMITS.categories),
      publishedAt: parseFeedDate(entry.date),
    },
  };
}

/** A post typed in by an operator: already validated by the DTO, only tidied here. */
export function manualPostDraft(input: {
  url: string;
  title: string;
  summary?: string;
  imageUrl?: string;
  author?: string;
  categories?: string[];
  publishedAt: string;
}): PostDraft {
  const url = toHttpUrl(input.url) as string;
  const author = cleanPlainText(input.author);
  return {
    guid: url,
    url,
    title: truncateText(cleanPlainText(input.title), POST_LIMITS.title),
    summary: truncateText(cleanPlainText(input.summary), POST_LIMITS.summary),
    imageUrl: toHttpUrl(input.imageUrl),
    author: author ? truncateText(author, POST_LIMITS.author) : null,
    categories: [...new Set((input.categories ?? []).map(cleanPlainText).filter(Boolean))].slice(
      0,
      POST_LIMITS.categories,
    ),
    publishedAt: new Date(input.publishedAt),
    imageCandidates: [],
  };
}

/** How an entry is named in a log line. */
function describe(entry: FeedEntry): string {
  const title = htmlToPlainText(entry.title);
  return `item ${JSON.stringify(truncateText(title || (typeof entry.id === 'string' || typeof entry.id === 'number' ? String(entry.id) : '(untitled)'), 80))}`;
}
