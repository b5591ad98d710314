import type { SendMailOptions } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import type { OutgoingMail } from '../outgoing-mail.js';

type NodemailerHeader = string | { prepared: true; foldLines: true; value: string };

/**
 * Our extra headers for nodemailer, to go out as written. Left to itself nodemailer MIME-encodes
 * any value with quotes or angle brackets, which turns `List-Id: "Name" <id>` into an encoded
 * word that no mailbox provider reads as a list id. A value that is plain printable ASCII needs no
 * encoding, so it is passed through (folded); anything else is still left to nodemailer.
 */
export function preparedHeaders(
  headers: Record<string, string> | undefined,
): Record<string, NodemailerHeader> | undefined {
  if (!headers) return undefined;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      /^[\x20-\x7e]*$/.test(value) ? { prepared: true, foldLines: true, value } : value,
    ]),
  );
}

/**
 * The nodemailer message for mail given as parts, the same for every transport built on nodemailer.
 * Names are handed over apart from their address, for nodemailer to encode.
 */
export function nodemailerMessage(
  sender: Pick<AppConfig['mail'], 'from' | 'replyTo'>,
  mail: OutgoingMail,
  messageId: string,
): SendMailOptions {
  const { from, replyTo } = sender;
  return {
    from,
    ...(replyTo ? { replyTo: { name: replyTo.name ?? '', address: replyTo.address } } : {}),
    to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: preparedHeaders(mail.headers),
    messageId: `<${messageId}>`,
  };
}
