import type { ImageCandidate } from './post-image.js';

/** One item of any feed format, before any cleaning: every text may hold HTML, every URL may be hostile. */
export interface FeedEntry {
  id?: unknown;
  link?: string;
  title?: string;
  /** The short text (description, summary). */
  summary?: string;
  /** The full body (content:encoded, Atom content, content_html), used for the image and as a summary fallback. */
  content?: string;
  images: ImageCandidate[];
  author?: string;
  categories: (string | undefined)[];
  date?: unknown;
}

/** A feed read into entries, whatever its format. */
export interface ReadFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  entries: FeedEntry[];
}
