import { XMLValidator } from 'fast-xml-parser';
import { FeedReadError } from './feed-read-error.js';

/** Elements a feed never starts with and an HTML page (doctype or not) does. */
const HTML_ROOTS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'link',
  'title',
  'script',
  'style',
  'div',
  'p',
  'br',
  'span',
  'table',
  'form',
  'img',
  'a',
  'h1',
  'h2',
  'h3',
]);

/** The first element's name, past the XML declaration, comments, processing instructions and any doctype. */
export function rootElementName(text: string): string | null {
  const prolog = /^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>[]*(?:\[[\s\S]*?\])?\s*>))*/i.exec(text);
  const root = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(prolog?.[0].length ?? 0).trimStart());
  return root ? root[1].toLowerCase() : null;
}

/** Whether the body is an HTML page rather than a feed. */
export function isHtmlPage(text: string, contentType: string): boolean {
  if (/^\s*<!doctype html/i.test(text)) return true;
  const root = rootElementName(text);
  if (root) return HTML_ROOTS.has(root);
  return /^text\/html/i.test(contentType) && !text.trimStart().startsWith('{');
}

export function htmlPageMessage(contentType: string): string {
  return `this is an HTML page, not a feed (Content-Type: ${contentType || 'none'}): check the feed URL`;
}

/**
 * Refuses a body that is not a feed before any parser is lenient with it: an empty answer, an
 * HTML page (with or without a doctype), and XML that is cut short or not well-formed.
 * feedsmith's XML parser would read a truncated document as far as it goes, so a feed cut off by
 * a proxy or a crashed PHP worker would silently lose its last items; it is refused instead,
 * saying where it stops so that the operator can compare with the server's Content-Length.
 */
export function checkFeedBody(text: string, contentType: string, bytes: number): void {
  if (!text) throw new FeedReadError('the answer is empty, not a feed');
  if (isHtmlPage(text, contentType)) throw new FeedReadError(htmlPageMessage(contentType));
  if (!text.startsWith('<')) return;
  const check = XMLValidator.validate(text);
  if (check === true) return;
  const { msg, line, col } = check.err;
  // fast-xml-parser reports a document that ends with elements still open in one of two ways:
  // "Unclosed tag 'rss'." or "Invalid '[ "rss", "channel", "item" ]' found.".
  // A document cut inside a tag or an attribute gets other messages; it never ends with ">".
  const open =
    /^Unclosed tag '([^']+)'/.exec(msg)?.[1] ??
    /^Invalid '\[([\s\S]*)\]' found/.exec(msg)?.[1]?.match(/"([^"]+)"/)?.[1];
  if (open) throw new FeedReadError(`the feed ends early (truncated at byte ${bytes}): <${open}> is never closed`);
  if (!text.trimEnd().endsWith('>'))
    throw new FeedReadError(`the feed ends early (truncated at byte ${bytes}): it stops in the middle of the document`);
  throw new FeedReadError(`the feed is not well-formed XML: ${msg} (line ${line}, column ${col})`);
}
