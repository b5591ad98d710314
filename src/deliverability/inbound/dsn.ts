import { redactAddresses } from '../../mail/mail-failure.js';
import { bareMessageId, type ProviderEvent, type ProviderEventType } from '../provider-event.js';
import type { InboundMail } from './inbound-mail.js';
import { type FieldGroup, parseFieldGroups, untyped } from './report-fields.js';
import { returnedMessageId } from './returned-message.js';

const STATUS = /^([245])\.\d{1,3}\.\d{1,3}/;

/**
 * A delivery status notification (RFC 3464) as events, one per recipient it reports on: a 5.x.x
 * failure is a hard bounce, any 4.x.x (a failure after retries, or a delay) a soft one, and a
 * delivered or relayed recipient only a record. The original is found by an Original-Message-ID
 * field when the reporting MTA adds one, else by the Message-ID of the returned message or headers.
 */
export function dsnEvents(mail: InboundMail): ProviderEvent[] {
  const report = mail.parts.find((part) => /^message\/(global-)?delivery-status$/.test(part.contentType));
  if (!report) return [];
  const [perMessage, ...perRecipient] = parseFieldGroups(report.text);
  if (!perMessage) return [];
  const messageId =
    bareMessageId(perMessage.get('original-message-id') ?? perMessage.get('x-original-message-id')) ??
    returnedMessageId(mail);
  return perRecipient.map((recipient, index) => {
    const address = untyped(recipient.get('final-recipient') ?? recipient.get('original-recipient'));
    return {
      eventKey: `${mail.key}:${address ?? index}`,
      type: recipientType(recipient),
      messageId,
      providerMessageId: null,
      detail: detailOf(recipient),
      raw: {
        subject: mail.subject,
        reportingMta: untyped(perMessage.get('reporting-mta')) ?? null,
        ...Object.fromEntries(recipient),
      },
    };
  });
}

export function recipientType(recipient: FieldGroup): ProviderEventType {
  const action = recipient.get('action')?.toLowerCase();
  const status = STATUS.exec(recipient.get('status') ?? '')?.[1];
  if (action === 'failed' && status === '5') return 'bounce';
  if ((action === 'failed' || action === 'delayed') && status === '4') return 'soft_bounce';
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') return 'delivered';
  return 'other';
}

/** `5.1.1 smtp; 550 5.1.1 user unknown`, without the addresses a diagnostic often repeats. */
function detailOf(recipient: FieldGroup): string | null {
  const text = [recipient.get('status'), recipient.get('diagnostic-code')].filter(Boolean).join(' ');
  return text ? redactAddresses(text) : null;
}
