import { Parser } from 'htmlparser2';
import { toHttpUrl } from './http-url.js';

/** An image candidate: a URL, its media type when the feed says, and its size when declared. */
export interface ImageCandidate {
  url?: string;
  type?: string;
  medium?: string;
  width?: number;
  height?: number;
}

/** A card image is shown 552 px wide, 1,104 px on a 2x screen: bigger only costs the subscriber's data. */
export const PREFERRED_MAX_WIDTH = 1200;
/** Smaller than this on either side is a button, an icon, an avatar or a pixel, never an article's picture. */
export const MIN_IMAGE_SIDE = 100;

/** Hosts that serve feed-service badges, tracking pixels, avatars and emoji, not article pictures. */
const SERVICE_HOSTS =
  /(^|\.)(feedburner\.com|feedblitz\.com|feeds\.wordpress\.com|pixel\.wp\.com|stats\.wp\.com|doubleclick\.net|google-analytics\.com|scorecardresearch\.com|gravatar\.com|s\.w\.org|feedsportal\.com)$/;
/** File and folder names of share buttons, social icons and feed badges. */
const CHROME_NAMES =
  /(^|[/_.-])(share|sharing|sharethis|addtoany|sociable|social-?icons?|tracking|spacer|emoji|feed-?icon|rss-?icon)([/_.-]|\d|$)|(facebook|twitter|linkedin|pinterest|whatsapp|tumblr|reddit|email|mail|fb|tw)[-_]?(share|icon|button|btn|badge)|(share|icon|button|btn)[-_]?(facebook|twitter|linkedin|pinterest|whatsapp|tumblr|reddit|email|mail|fb|tw)/i;
/** Feedburner's per-item share links (`/~ff/`) and redirects (`/~r/`); WordPress plugin and core assets (buttons, icons). */
const SERVICE_PATHS = /\/~(ff|r|a)\/|\/wp-content\/plugins\/|\/wp-includes\//;
/** WordPress names resized copies `name-300x200.jpg`. */
const WORDPRESS_SIZE = /-(\d{2,4})x(\d{2,4})\.(jpe?g|png|gif|webp|avif)$/i;

/** The size an image declares, or that its URL gives away. */
function knownSize(candidate: ImageCandidate, url: URL): { width?: number; height?: number } {
  const named = WORDPRESS_SIZE.exec(url.pathname);
  const query = Number(url.searchParams.get('w') ?? url.searchParams.get('width') ?? Number.NaN);
  return {
    width:
      positive(candidate.width) ??
      (named ? Number(named[1]) : undefined) ??
      (Number.isFinite(query) && query > 0 ? query : undefined),
    height: positive(candidate.height) ?? (named ? Number(named[2]) : undefined),
  };
}

function positive(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

/** How much a card wants this width: the largest up to about 1,200 px, then less the further beyond it. */
function preference(width: number | undefined): number {
  if (width === undefined) return 600; // An undeclared size is likely the post's featured image.
  return width <= PREFERRED_MAX_WIDTH ? width : (PREFERRED_MAX_WIDTH * PREFERRED_MAX_WIDTH) / width;
}

/** A candidate fit for a card, as an absolute http(s) URL with the width it is known to have; null otherwise. */
export function usableImage(candidate: ImageCandidate, base?: string | null): { url: string; width?: number } | null {
  const kind = candidate.medium ?? candidate.type?.split('/')[0];
  if (kind && kind !== 'image') return null;
  const href = toHttpUrl(candidate.url, base);
  if (!href) return null;
  const url = new URL(href);
  if (SERVICE_HOSTS.test(url.hostname) || SERVICE_PATHS.test(url.pathname) || CHROME_NAMES.test(url.pathname))
    return null;
  const { width, height } = knownSize(candidate, url);
  if ((width !== undefined && width < MIN_IMAGE_SIDE) || (height !== undefined && height < MIN_IMAGE_SIDE)) return null;
  return { url: href, width };
}

/**
 * The usable candidates, best first: a feed's media:content renditions and enclosures of one
 * picture compete by size (the largest up to about 1,200 px wins); equal ones keep feed order.
 */
export function rankImages(candidates: ImageCandidate[], base?: string | null): string[] {
  const usable = candidates.map((candidate) => usableImage(candidate, base)).filter((image) => image !== null);
  const ranked = usable
    .map((image, index) => ({ ...image, index }))
    .sort((a, b) => preference(b.width) - preference(a.width) || a.index - b.index);
  return [...new Set(ranked.map((image) => image.url))];
}

/**
 * The usable images of an HTML fragment, in document order. An `<img>` with a `srcset` offers
 * renditions of one picture: the best of them stands for it.
 */
export function imagesInHtml(html: string | null | undefined, base?: string | null): string[] {
  if (!html) return [];
  const found: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name !== 'img') return;
        const width = positive(attributes.width);
        const height = positive(attributes.height);
        // A declared tiny size on the <img> (a pixel, a button) rules out its srcset too.
        if ((width ?? Infinity) < MIN_IMAGE_SIDE || (height ?? Infinity) < MIN_IMAGE_SIDE) return;
        const renditions: ImageCandidate[] = [{ url: attributes.src, width, height }];
        for (const entry of (attributes.srcset ?? '').split(',')) {
          const [url, descriptor] = entry.trim().split(/\s+/);
          const offered = /^(\d+)w$/.exec(descriptor ?? '')?.[1];
          if (url && offered) renditions.push({ url, width: Number(offered) });
        }
        const [best] = rankImages(renditions, base);
        if (best) found.push(best);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}
