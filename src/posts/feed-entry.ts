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
  /** The base of the item's relative links: its xml:base in scope, else the feed's URL. */
  base?: string;
  /** The base of relative URLs inside the content (xml:base on the content element), when it has its own. */
  contentBase?: string;
}

/** A feed read into entries, whatever its format. */
export interface ReadFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  entries: FeedEntry[];
  /** The next older page: RFC 5005's prev-archive, or a paged feed's rel="next". */
  olderPage: string | null;
  /** Whether the generator is WordPress, whose feeds page with `?paged=N` without saying so. */
  wordpress: boolean;
}
