import type { FeedPage } from './feed-pages.js';
import type { PostArrival } from './post-arrival.js';
import { type PostDraft, toPostDraft } from './post-draft.js';

export interface ArrivingDraft extends PostDraft {
  arrival: PostArrival;
}

export interface DraftedItems {
  drafts: ArrivingDraft[];
  /** Why each item that could not be a post was left out. */
  skipped: string[];
  /** Guids an earlier item of the same page already had: those items are left out. */
  duplicateGuids: string[];
}

/** An image on this many items, and on most of the feed, is the feed's decoration (a share button, a logo). */
const CHROME_MIN_ITEMS = 3;

/**
 * Every item of every page read, as drafts marked with how they arrived (see `PostArrival`).
 * Within a page, an item whose guid an earlier item had is counted and left out; across pages
 * it is the same post moved down between two fetches, and is left out silently.
 */
export function draftItems(pages: FeedPage[], feedKnown: boolean): DraftedItems {
  const drafts: ArrivingDraft[] = [];
  const skipped: string[] = [];
  const duplicateGuids: string[] = [];
  const earlierPages = new Set<string>();
  for (const page of pages) {
    const arrival: PostArrival = !feedKnown ? 'baseline' : page.number === 1 ? 'head' : 'backfill';
    const onPage = new Set<string>();
    for (const entry of page.read.entries) {
      const result = toPostDraft(entry, page.url);
      if (!result.ok) {
        skipped.push(result.reason);
        continue;
      }
      const { guid } = result.draft;
      if (onPage.has(guid)) {
        duplicateGuids.push(guid);
        continue;
      }
      onPage.add(guid);
      if (earlierPages.has(guid)) continue;
      drafts.push({ ...result.draft, arrival });
    }
    for (const guid of onPage) earlierPages.add(guid);
  }
  return { drafts: withoutFeedChrome(drafts), skipped, duplicateGuids };
}

/**
 * A picture chosen for most items of a feed is not any one article's picture: each such item
 * takes its next candidate instead, or none.
 */
function withoutFeedChrome(drafts: ArrivingDraft[]): ArrivingDraft[] {
  const uses = new Map<string, number>();
  for (const draft of drafts) if (draft.imageUrl) uses.set(draft.imageUrl, (uses.get(draft.imageUrl) ?? 0) + 1);
  const chrome = new Set(
    [...uses].filter(([, count]) => count >= CHROME_MIN_ITEMS && count * 2 > drafts.length).map(([url]) => url),
  );
  if (!chrome.size) return drafts;
  return drafts.map((draft) => ({ ...draft, imageUrl: draft.imageCandidates.find((url) => !chrome.has(url)) ?? null }));
}
