import { encodeWord } from 'nodemailer/lib/mime-funcs';
import type { Mailbox } from '../config/mailbox.js';

/**
 * A mailbox as a header value (To, Reply-To), in plain ASCII: `"Name" <address>`, the name as an
 * RFC 2047 encoded word when it is not ASCII, or `<address>` alone. The same rules nodemailer
 * applies to the copies it builds, so a raw copy and a built one carry the same header.
 */
export function formatMailbox({ address, name }: Mailbox): string {
  const clean = name?.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  if (!clean) return `<${address}>`;
  if (/^[\w ]*$/.test(clean)) return `${clean} <${address}>`;
  if (/^[\x20-\x7e]*$/.test(clean)) return `"${clean.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `${encodeWord(clean, 'Q', 52)} <${address}>`;
}
