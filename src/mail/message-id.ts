import { randomBytes } from 'node:crypto';

/** A Message-ID on the sender's own domain (RFC 5322 §3.6.4), without angle brackets. */
export function newMessageId(domain: string): string {
  return `${Date.now().toString(36)}.${randomBytes(9).toString('base64url')}@${domain}`;
}
