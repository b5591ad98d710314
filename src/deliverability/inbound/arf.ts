import type { ProviderEvent } from '../provider-event.js';
import type { InboundMail } from './inbound-mail.js';
import { parseFieldGroups } from './report-fields.js';
import { returnedMessageId } from './returned-message.js';

/**
 * Feedback types (RFC 5965 §7.3) that are a reader's complaint. `auth-failure` (RFC 6591, a
 * DMARC failure report) and `not-spam` are reports too, but nobody asked to stop the mail: they
 * are recorded and change nothing.
 */
const COMPLAINTS = new Set(['abuse', 'fraud', 'virus', 'other']);

/** A feedback report (RFC 5965) as one event, matched by the Message-ID of the message it returns. */
export function arfEvents(mail: InboundMail): ProviderEvent[] {
  const report = mail.parts.find((part) => part.contentType === 'message/feedback-report');
  if (!report) return [];
  const fields = parseFieldGroups(report.text)[0] ?? new Map<string, string>();
  const feedbackType = fields.get('feedback-type')?.toLowerCase() ?? 'unknown';
  const messageId = returnedMessageId(mail);
  return [
    {
      // The report and the message it is about: a second arrival of the same report is a replay.
      eventKey: `${mail.key}:${messageId ?? ''}`,
      type: COMPLAINTS.has(feedbackType) ? 'complaint' : 'other',
      messageId,
      providerMessageId: null,
      detail: [feedbackType, fields.get('user-agent')].filter(Boolean).join(' from '),
      raw: {
        subject: mail.subject,
        feedbackType,
        userAgent: fields.get('user-agent') ?? null,
        reportingMta: fields.get('reporting-mta') ?? null,
        arrivalDate: fields.get('arrival-date') ?? null,
      },
    },
  ];
}
