import type { FeedEntry } from './feed-entry.js';
import { imagesInHtml, rankImages } from './post-image.js';

/**
 * A post's usable images, best first: what the feed declares (enclosures, media:content
 * renditions, ranked by size), then the pictures of the content, then of the summary. Relative
 * sources resolve against the content's own xml:base, else the post's URL.
 */
export function imageChoices(
  entry: Pick<FeedEntry, 'images' | 'content' | 'summary' | 'contentBase'>,
  postUrl: string,
): string[] {
  const declared = rankImages(entry.images, postUrl);
  const inContent = imagesInHtml(entry.content, entry.contentBase ?? postUrl);
  const inSummary = imagesInHtml(entry.summary, postUrl);
  return [...new Set([...declared, ...inContent, ...inSummary])];
}
