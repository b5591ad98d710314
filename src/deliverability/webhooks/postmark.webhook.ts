import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { bareMessageId, type ProviderEvent } from '../provider-event.js';
import { header, parseJson, type WebhookRequest, WebhookRefused, WebhookVerifier } from './webhook-verifier.js';

interface PostmarkBody {
  RecordType?: string;
  ID?: number | string;
  Type?: string;
  MessageID?: string;
  Details?: string;
  Description?: string;
  Metadata?: Record<string, string>;
}

/** Postmark bounce types that are final for the address; the rest (soft bounce, transient...) are counted. */
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'SpamNotification', 'Blocked']);

/**
 * Postmark signs nothing: the webhook URL carries POSTMARK_WEBHOOK_SECRET as the basic-auth
 * password (Postmark's documented way), or in an X-Webhook-Secret header. Compared in constant time.
 */
@Injectable()
export class PostmarkWebhook extends WebhookVerifier {
  readonly provider = 'postmark';

  constructor(private readonly config: AppConfig) {
    super();
  }

  async verify({ headers, body }: WebhookRequest): Promise<ProviderEvent[]> {
    const secret = this.config.deliverability.postmark.webhookSecret;
    if (!secret) throw new WebhookRefused(this.provider, 'POSTMARK_WEBHOOK_SECRET is not set');
    const basic = /^Basic (.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
    const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
    const given = password ?? header(headers, 'x-webhook-secret');
    if (!given) throw new WebhookRefused(this.provider, 'no secret');
    const a = Buffer.from(given);
    const b = Buffer.from(secret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WebhookRefused(this.provider, 'wrong secret');
    const event = parseJson(this.provider, body) as PostmarkBody;
    const type =
      event.RecordType === 'SpamComplaint'
        ? 'complaint'
        : event.RecordType === 'Bounce'
          ? HARD.has(event.Type ?? '')
            ? 'bounce'
            : 'soft_bounce'
          : event.RecordType === 'Delivery'
            ? 'delivered'
            : 'other';
    return [
      {
        eventKey: `${event.RecordType}:${event.ID ?? event.MessageID}`,
        type,
        messageId: bareMessageId(event.Metadata?.['message-id']),
        providerMessageId: event.MessageID ?? null,
        detail: [event.Type, event.Description ?? event.Details].filter(Boolean).join(': ') || null,
        raw: event,
      },
    ];
  }
}
