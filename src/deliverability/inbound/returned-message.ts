import { bareMessageId } from '../provider-event.js';
import type { InboundMail } from './inbound-mail.js';
import { headerBlock } from './report-fields.js';

/** The parts a report returns the original in: the whole message, or only its headers (RFC 6522 §4). */
const RETURNED = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global']);

/** The Message-ID of the message a report is about, from the returned message or headers; null when none came back. */
export function returnedMessageId(mail: InboundMail): string | null {
  for (const part of mail.parts) {
    if (!RETURNED.has(part.contentType)) continue;
    const id = bareMessageId(headerBlock(part.text).get('message-id'));
    if (id) return id;
  }
  return null;
}
