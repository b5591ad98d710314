import { Parser } from 'htmlparser2';
import { DIGEST_PLACEHOLDERS } from './digest-placeholders.js';

/** Gmail clips an HTML part over 102 KB behind "[Message clipped]", footer and unsubscribe link included. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

export interface DeliveryCheckInput {
  subject: string | null;
  html: string | null;
  text: string | null;
}

/**
 * Link schemes a digest may carry. Cards, images and the archive link are http(s) only; mailto:
 * and tel: are allowed because the footer's contact lines use them, and they open the subscriber's
 * own mail or phone app, nothing else. Everything else (javascript:, data:, relative or empty
 * links) is refused.
 */
const LINK_SCHEMES = /^(https?:\/\/[^\s]+|mailto:[^\s]+|tel:[0-9+()\-. ]+)$/i;
const IMAGE_SCHEMES = /^https?:\/\/[^\s]+$/i;
const SHOWN = 3;

/**
 * Whether a rendered digest is fit to send: the reasons it is not, in words an operator can act
 * on, or an empty list. Pure, so the send path, the admin preview and the tests all agree.
 */
export function checkDigestForDelivery(digest: DeliveryCheckInput): string[] {
  const problems: string[] = [];
  const { html, text, subject } = digest;
  if (!subject?.trim()) problems.push('the subject is empty');
  else if (/[\r\n]/.test(subject)) problems.push('the subject contains a line break');
  if (!html?.trim()) problems.push('the HTML part is missing');
  if (!text?.trim()) problems.push('the plain-text part is missing');
  if (html) {
    const bytes = Buffer.byteLength(html, 'utf8');
    if (bytes > GMAIL_CLIP_BYTES) {
      problems.push(
        `the HTML part is ${kb(bytes)} KB; Gmail clips mail over ${kb(GMAIL_CLIP_BYTES)} KB, hiding the footer and the unsubscribe link`,
      );
    }
    if (!html.includes(DIGEST_PLACEHOLDERS.unsubscribeUrl))
      problems.push('the HTML part has no unsubscribe link placeholder');
    const { badLinks, badImages, imagesWithoutAlt } = scanHtml(html);
    if (badLinks.length)
      problems.push(`${badLinks.length} link(s) are not http(s), mailto: or tel:: ${listed(badLinks)}`);
    if (badImages.length) problems.push(`${badImages.length} image(s) are not http(s) URLs: ${listed(badImages)}`);
    if (imagesWithoutAlt.length)
      problems.push(`${imagesWithoutAlt.length} image(s) have no alt text: ${listed(imagesWithoutAlt)}`);
  }
  if (text?.trim() && !text.includes(DIGEST_PLACEHOLDERS.unsubscribeUrl))
    problems.push('the plain-text part has no unsubscribe link placeholder');
  return problems;
}

function scanHtml(html: string): { badLinks: string[]; badImages: string[]; imagesWithoutAlt: string[] } {
  const badLinks: string[] = [];
  const badImages: string[] = [];
  const imagesWithoutAlt: string[] = [];
  let linkDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'a') linkDepth += 1;
        if (name === 'a' || name === 'area') {
          // An anchor without href is only a target, not a link.
          if ('href' in attributes && !LINK_SCHEMES.test(attributes.href.trim()))
            badLinks.push(attributes.href || '(empty)');
        } else if (name === 'img') {
          const src = attributes.src ?? '';
          if (!IMAGE_SCHEMES.test(src.trim())) badImages.push(src || '(empty)');
          // alt="" marks a decorative picture (the title beside it names the post), but not inside a
          // link, whose only content it may be; no alt at all, or only spaces, is a mistake.
          const alt = attributes.alt;
          if (alt === undefined || (alt !== '' && !alt.trim()) || (alt === '' && linkDepth > 0))
            imagesWithoutAlt.push(src || '(no src)');
        }
      },
      onclosetag(name) {
        if (name === 'a' && linkDepth > 0) linkDepth -= 1;
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { badLinks, badImages, imagesWithoutAlt };
}

function listed(values: string[]): string {
  const shown = values.slice(0, SHOWN).map((value) => (value.length > 80 ? `${value.slice(0, 77)}...` : value));
  return shown.join(', ') + (values.length > SHOWN ? ` and ${values.length - SHOWN} more` : '');
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1).replace(/\.0$/, '');
}
