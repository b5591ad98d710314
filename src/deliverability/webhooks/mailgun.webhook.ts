import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { bareMessageId, type ProviderEvent } from '../provider-event.js';
import { parseJson, type WebhookRequest, WebhookRefused, WebhookVerifier } from './webhook-verifier.js';

interface MailgunBody {
  signature?: { timestamp?: string; token?: string; signature?: string };
  'event-data'?: {
    event?: string;
    severity?: string;
    reason?: string;
    message?: { headers?: { 'message-id'?: string } };
    'delivery-status'?: { description?: string; message?: string };
  };
}

/**
 * Mailgun: HMAC-SHA256 of timestamp + token with the webhook signing key, a timestamp within
 * WEBHOOK_TOLERANCE_SECONDS, and the token used once (it is the event key, unique in the table).
 */
@Injectable()
export class MailgunWebhook extends WebhookVerifier {
  readonly provider = 'mailgun';

  constructor(private readonly config: AppConfig) {
    super();
  }

  async verify({ body }: WebhookRequest): Promise<ProviderEvent[]> {
    const { signingKey, toleranceSeconds } = this.config.deliverability.mailgun;
    if (!signingKey) throw new WebhookRefused(this.provider, 'MAILGUN_WEBHOOK_SIGNING_KEY is not set');
    const parsed = parseJson(this.provider, body) as MailgunBody;
    const { timestamp, token, signature } = parsed.signature ?? {};
    if (!timestamp || !token || !signature) throw new WebhookRefused(this.provider, 'unsigned');
    const expected = createHmac('sha256', signingKey)
      .update(timestamp + token)
      .digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new WebhookRefused(this.provider, 'bad signature');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds)
      throw new WebhookRefused(this.provider, 'stale timestamp');
    const data = parsed['event-data'] ?? {};
    const type =
      data.event === 'complained'
        ? 'complaint'
        : data.event === 'failed'
          ? data.severity === 'permanent'
            ? 'bounce'
            : 'soft_bounce'
          : data.event === 'delivered'
            ? 'delivered'
            : 'other';
    const status = data['delivery-status'];
    return [
      {
        eventKey: token,
        type,
        messageId: bareMessageId(data.message?.headers?.['message-id']),
        providerMessageId: null,
        detail: [data.reason, status?.description || status?.message].filter(Boolean).join(': ') || null,
        raw: parsed,
      },
    ];
  }
}
