import { Parser } from 'htmlparser2';
import { toHttpUrl } from './http-url.js';

/**
 * The `src` of the first real image in an HTML fragment. Tracking pixels (1×1) and non-http
 * sources (data:, javascript:) are passed over; relative sources are resolved against `base`.
 */
export function firstImageInHtml(html: string | null | undefined, base?: string | null): string | null {
  if (!html) return null;
  let found: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (found || name !== 'img') return;
        if (attributes.width === '1' || attributes.height === '1') return;
        found = toHttpUrl(attributes.src, base);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

/** An image candidate: a URL, and its media type when the feed says. */
export interface ImageCandidate {
  url?: string;
  type?: string;
  medium?: string;
}

/**
 * The first candidate that is an image and an http(s) URL. A candidate with no type at all
 * (feeds often omit it) counts as an image; one typed audio/video does not.
 */
export function pickImage(candidates: ImageCandidate[], base?: string | null): string | null {
  for (const candidate of candidates) {
    const kind = candidate.medium ?? candidate.type?.split('/')[0];
    if (kind && kind !== 'image') continue;
    const url = toHttpUrl(candidate.url, base);
    if (url) return url;
  }
  return null;
}
