import { Injectable, Logger } from '@nestjs/common';
import { createVerify, X509Certificate } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { bareMessageId, type ProviderEvent } from '../provider-event.js';
import { SnsUrlPolicy } from './sns-url-policy.js';
import { parseJson, type WebhookRequest, WebhookRefused, WebhookVerifier } from './webhook-verifier.js';

interface SnsMessage {
  Type?: string;
  MessageId?: string;
  Token?: string;
  TopicArn?: string;
  Subject?: string;
  Message?: string;
  Timestamp?: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  SubscribeURL?: string;
}

interface SesEvent {
  eventType?: string;
  notificationType?: string;
  mail?: {
    messageId?: string;
    headers?: Array<{ name: string; value: string }>;
    commonHeaders?: { messageId?: string };
  };
  bounce?: { bounceType?: string; bounceSubType?: string; bouncedRecipients?: Array<{ diagnosticCode?: string }> };
  complaint?: { complaintFeedbackType?: string };
}

/** The fields SNS signs, in order, per message type (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). */
const SIGNED: Record<string, Array<keyof SnsMessage>> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** SNS retries for up to an hour; anything older is a replay, not a retry. */
const MAX_AGE_MS = 3600_000;

/**
 * SES events through SNS: the message signature (SignatureVersion 1 = SHA1, 2 = SHA256) checked
 * against the certificate at SigningCertURL, fetched once per URL and only from an SNS host;
 * SubscriptionConfirmation is confirmed by fetching its SubscribeURL (same host rule).
 */
@Injectable()
export class SesWebhook extends WebhookVerifier {
  readonly provider = 'ses';
  private readonly logger = new Logger(SesWebhook.name);
  private readonly certificates = new Map<string, Promise<X509Certificate>>();

  constructor(
    private readonly config: AppConfig,
    private readonly urls: SnsUrlPolicy,
  ) {
    super();
  }

  async verify({ body }: WebhookRequest): Promise<ProviderEvent[]> {
    const message = parseJson(this.provider, body) as SnsMessage;
    const fields = SIGNED[message.Type ?? ''];
    if (!fields || !message.Signature || !message.SigningCertURL) throw new WebhookRefused(this.provider, 'unsigned');
    const algorithm = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' }[message.SignatureVersion ?? ''];
    if (!algorithm) throw new WebhookRefused(this.provider, 'unknown SignatureVersion');
    const certificate = await this.certificate(message.SigningCertURL);
    const text = fields
      .filter((field) => message[field] !== undefined)
      .map((field) => `${field}\n${message[field]}\n`)
      .join('');
    if (!createVerify(algorithm).update(text, 'utf8').verify(certificate.publicKey, message.Signature, 'base64'))
      throw new WebhookRefused(this.provider, 'bad signature');
    const age = Date.now() - Date.parse(message.Timestamp ?? '');
    if (!(age < MAX_AGE_MS)) throw new WebhookRefused(this.provider, 'stale timestamp');
    const topics = this.config.deliverability.ses.topicArns;
    if (topics.length && !topics.includes(message.TopicArn ?? ''))
      throw new WebhookRefused(this.provider, 'topic not accepted');

    if (message.Type !== 'Notification') {
      if (message.Type === 'SubscriptionConfirmation') await this.confirm(message.SubscribeURL);
      return [];
    }
    const event = JSON.parse(message.Message ?? '{}') as SesEvent;
    const kind = event.eventType ?? event.notificationType;
    const headerId = event.mail?.headers?.find((h) => h.name.toLowerCase() === 'message-id')?.value;
    const permanent = event.bounce?.bounceType === 'Permanent';
    return [
      {
        eventKey: message.MessageId ?? '',
        type:
          kind === 'Complaint'
            ? 'complaint'
            : kind === 'Bounce'
              ? permanent
                ? 'bounce'
                : 'soft_bounce'
              : kind === 'Delivery'
                ? 'delivered'
                : 'other',
        messageId: bareMessageId(event.mail?.commonHeaders?.messageId ?? headerId),
        providerMessageId: event.mail?.messageId ?? null,
        detail:
          [event.bounce?.bounceType, event.bounce?.bounceSubType, event.bounce?.bouncedRecipients?.[0]?.diagnosticCode]
            .concat(event.complaint?.complaintFeedbackType)
            .filter(Boolean)
            .join(': ') || null,
        raw: { ...message, Message: event },
      },
    ];
  }

  private certificate(url: string): Promise<X509Certificate> {
    const parsed = this.checkedUrl(url, 'SigningCertURL');
    let pending = this.certificates.get(parsed.href);
    if (!pending) {
      pending = fetch(parsed, { redirect: 'error', signal: AbortSignal.timeout(10_000) }).then(async (response) => {
        if (!response.ok) throw new Error(`certificate fetch answered ${response.status}`);
        return new X509Certificate(await response.text());
      });
      this.certificates.set(parsed.href, pending);
      // A failed fetch is not cached: the next message tries again.
      pending.catch(() => this.certificates.delete(parsed.href));
    }
    return pending.catch((error: Error) => {
      throw new WebhookRefused(this.provider, `certificate unavailable (${error.message})`);
    });
  }

  private async confirm(url: string | undefined): Promise<void> {
    const parsed = this.checkedUrl(url ?? '', 'SubscribeURL');
    const response = await fetch(parsed, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new WebhookRefused(this.provider, `subscription confirmation answered ${response.status}`);
    this.logger.log('SNS subscription confirmed');
  }

  private checkedUrl(url: string, field: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookRefused(this.provider, `${field} is not a URL`);
    }
    if (!this.urls.allows(parsed)) throw new WebhookRefused(this.provider, `${field} is not on an SNS host`);
    return parsed;
  }
}
