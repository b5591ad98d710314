import { UnauthorizedException } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderEvent } from '../provider-event.js';

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  /** The body exactly as received: signatures are over bytes, not over parsed JSON. */
  body: Buffer;
}

/**
 * One per provider under webhooks/: proves a request came from the provider (signature, secret,
 * freshness) and turns its body into events. Anything unproven throws `WebhookRefused` (401).
 */
export abstract class WebhookVerifier {
  abstract readonly provider: string;

  /** The events of a verified request; a SubscriptionConfirmation-like handshake returns []. */
  abstract verify(request: WebhookRequest): Promise<ProviderEvent[]>;
}

/** 401 with the reason; the body says what failed, never the secret. */
export class WebhookRefused extends UnauthorizedException {
  constructor(provider: string, why: string) {
    super(`${provider} webhook refused: ${why}`);
  }
}

/** The body as JSON, or a refusal (a signed body that is not JSON is still not an event). */
export function parseJson(provider: string, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookRefused(provider, 'body is not JSON');
  }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
