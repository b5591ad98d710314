import type { ProviderEvent } from '../provider-event.js';
import { digestRef, tokenOfUnsubscribeAddress } from '../../subscribers/unsubscribe-links.js';
import { arfEvents } from './arf.js';
import { dsnEvents } from './dsn.js';
import type { InboundMail } from './inbound-mail.js';

/** What an inbound mail is, and what it asks for. */
export type InboundVerdict =
  /** A report: the events go through the same pipeline as the webhooks', under this provider name. */
  | { kind: 'report'; provider: 'dsn' | 'arf'; events: ProviderEvent[] }
  /** A List-Unsubscribe mailto; `digestId` when its subject names the digest it came from. */
  | { kind: 'unsubscribe'; token: string; digestId?: string }
  | { kind: 'ignored'; reason: string };

/**
 * Pure: sorts one inbound mail. Reports first (a DSN or an ARF report is about a message we
 * sent, whatever address it came to), then the unsubscribe address; anything else (an
 * out-of-office reply, a bounce in no standard format, spam) is ignored, without a reply that
 * could become backscatter.
 */
export function classifyInbound(mail: InboundMail, domain: string): InboundVerdict {
  if (mail.reportType === 'delivery-status') {
    const events = dsnEvents(mail);
    return events.length
      ? { kind: 'report', provider: 'dsn', events }
      : { kind: 'ignored', reason: 'a delivery report without recipient fields' };
  }
  if (mail.reportType === 'feedback-report') {
    const events = arfEvents(mail);
    return events.length
      ? { kind: 'report', provider: 'arf', events }
      : { kind: 'ignored', reason: 'a feedback report without its report part' };
  }
  for (const recipient of mail.recipients) {
    const token = tokenOfUnsubscribeAddress(recipient, domain);
    if (token) return { kind: 'unsubscribe', token, digestId: digestRef(mail.subject) };
  }
  return {
    kind: 'ignored',
    reason: mail.reportType ? `a ${mail.reportType} report` : 'neither a report nor an unsubscribe',
  };
}
