import { compile } from 'html-to-text';

const toText = compile({
  wordwrap: false,
  decodeEntities: true,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'ul', options: { itemPrefix: ' ' } },
    { selector: 'ol', format: 'blockString' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', format: 'block' },
  ],
});

// NUL is refused by PostgreSQL text columns; the other C0 controls only garble a mail.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** An HTML tag still standing after one decoding: the text was escaped twice (`&amp;lt;p&amp;gt;`). */
const STILL_MARKUP =
  /<\/?(p|br|a|b|i|em|strong|div|span|img|ul|ol|li|h[1-6]|blockquote|figure|figcaption|table|tr|td|pre|code|script|style|iframe)(\s[^<>]*)?\/?>/i;

/**
 * Feed text reduced to one line of plain text: tags dropped (script and style with their
 * content), entities decoded, whitespace collapsed. Whatever a feed sends is treated as HTML,
 * since feeds routinely escape titles once, twice or not at all whatever they declare: text that
 * is still markup after one decoding is decoded once more.
 */
export function htmlToPlainText(html: string | null | undefined): string {
  if (!html) return '';
  const once = toText(String(html));
  const text = STILL_MARKUP.test(once) ? toText(once) : once;
  return text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** Text someone typed (the admin API), kept as typed but on one line and without control characters. */
export function cleanPlainText(text: string | null | undefined): string {
  return (text ?? '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to at most `max` characters, at a word boundary when one is near, marking the cut with "…". */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.8 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
