import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

/** What a personal link's token says, once its form is known; `mac` is checked against the row. */
export type ParsedLinkToken = { kind: 'keyed'; subscriberId: string; mac: Buffer } | { kind: 'legacy'; token: string };

/** 128 bits: ample for a MAC, and short enough that `unsubscribe+<token>@` fits SMTP's 64-octet local part. */
const MAC_BYTES = 16;

/**
 * The personal links' tokens are never stored: each is an HMAC under TOKEN_KEY, re-derived when
 * a mail is built, so neither a leaked database nor Redis's job data yields a working link.
 *
 * - Unsubscribe and manage: `<subscriber id, 22 chars><HMAC(id, link nonce), 22 chars>`. The row
 *   keeps only a random nonce; a new nonce (on re-subscribing) kills every older link.
 * - Confirmation: `HMAC("confirm", token id)`, 43 chars; its SHA-256 is what `confirmation_tokens`
 *   stores, so the confirmation mail job carries the token id only.
 *
 * Tokens issued before this scheme (43 random characters) are only ever compared by hash.
 */
@Injectable()
export class LinkTokens {
  constructor(private readonly config: AppConfig) {}

  unsubscribeToken(subscriberId: string, nonce: Buffer): string {
    const id = Buffer.from(subscriberId.replace(/-/g, ''), 'hex');
    return id.toString('base64url') + this.mac('unsubscribe', id, nonce).toString('base64url');
  }

  confirmationToken(tokenId: string): string {
    return createHmac('sha256', this.config.subscriptions.tokenKey).update(`confirm:${tokenId}`).digest('base64url');
  }

  parse(token: string): ParsedLinkToken | null {
    if (/^[A-Za-z0-9_-]{43}$/.test(token)) return { kind: 'legacy', token };
    if (!/^[A-Za-z0-9_-]{44}$/.test(token)) return null;
    const id = Buffer.from(token.slice(0, 22), 'base64url');
    const mac = Buffer.from(token.slice(22), 'base64url');
    // One spelling per token: base64url's last character carries spare bits that decoding ignores.
    if (id.toString('base64url') + mac.toString('base64url') !== token) return null;
    const hex = id.toString('hex');
    const subscriberId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { kind: 'keyed', subscriberId, mac };
  }

  /** Whether a keyed token's MAC was made for this subscriber's current nonce (constant time). */
  matches(parsed: { subscriberId: string; mac: Buffer }, nonce: Buffer): boolean {
    const id = Buffer.from(parsed.subscriberId.replace(/-/g, ''), 'hex');
    const expected = this.mac('unsubscribe', id, nonce);
    return parsed.mac.length === expected.length && timingSafeEqual(parsed.mac, expected);
  }

  private mac(purpose: string, id: Buffer, nonce: Buffer): Buffer {
    return createHmac('sha256', this.config.subscriptions.tokenKey)
      .update(`${purpose}:`)
      .update(id)
      .update(nonce)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}
