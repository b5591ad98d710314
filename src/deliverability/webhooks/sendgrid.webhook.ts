import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { bareMessageId, type ProviderEvent } from '../provider-event.js';
import { header, parseJson, type WebhookRequest, WebhookRefused, WebhookVerifier } from './webhook-verifier.js';

interface SendGridEvent {
  event?: string;
  type?: string;
  sg_event_id?: string;
  sg_message_id?: string;
  'smtp-id'?: string;
  reason?: string;
}

/**
 * SendGrid's signed event webhook: ECDSA P-256 over timestamp + raw body, the signature in
 * X-Twilio-Email-Event-Webhook-Signature (base64 DER), checked with SENDGRID_WEBHOOK_PUBLIC_KEY,
 * and the timestamp within WEBHOOK_TOLERANCE_SECONDS.
 */
@Injectable()
export class SendGridWebhook extends WebhookVerifier {
  readonly provider = 'sendgrid';
  private key?: KeyObject;

  constructor(private readonly config: AppConfig) {
    super();
  }

  async verify({ headers, body }: WebhookRequest): Promise<ProviderEvent[]> {
    const { publicKey, toleranceSeconds } = this.config.deliverability.sendgrid;
    if (!publicKey) throw new WebhookRefused(this.provider, 'SENDGRID_WEBHOOK_PUBLIC_KEY is not set');
    const signature = header(headers, 'x-twilio-email-event-webhook-signature');
    const timestamp = header(headers, 'x-twilio-email-event-webhook-timestamp');
    if (!signature || !timestamp) throw new WebhookRefused(this.provider, 'unsigned');
    this.key ??= publicKey.includes('BEGIN')
      ? createPublicKey(publicKey)
      : createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    const valid = createVerify('sha256')
      .update(Buffer.concat([Buffer.from(timestamp, 'utf8'), body]))
      .verify(this.key, signature, 'base64');
    if (!valid) throw new WebhookRefused(this.provider, 'bad signature');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds)
      throw new WebhookRefused(this.provider, 'stale timestamp');
    const events = parseJson(this.provider, body);
    if (!Array.isArray(events)) throw new WebhookRefused(this.provider, 'body is not an event array');
    return (events as SendGridEvent[]).map((event) => ({
      eventKey: event.sg_event_id ?? `${event.sg_message_id}:${event.event}`,
      type:
        event.event === 'spamreport'
          ? 'complaint'
          : event.event === 'bounce' && event.type !== 'blocked'
            ? 'bounce'
            : event.event === 'bounce' || event.event === 'deferred'
              ? 'soft_bounce'
              : event.event === 'delivered'
                ? 'delivered'
                : 'other',
      messageId: bareMessageId(event['smtp-id']),
      // sg_message_id is the X-Message-Id SendGrid returned, plus a ".filter..." suffix of its own.
      providerMessageId: event.sg_message_id?.split('.')[0] ?? null,
      detail: event.reason ?? null,
      raw: event,
    }));
  }
}
