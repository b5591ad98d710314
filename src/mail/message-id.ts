import { randomBytes } from 'node:crypto';

/** The domain of an address like `Name <user@example.com>`. */
export function senderDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match ? match[1].toLowerCase() : 'localhost';
}

/** A Message-ID on the sender's own domain (RFC 5322 §3.6.4), without angle brackets. */
export function newMessageId(from: string): string {
  return `${Date.now().toString(36)}.${randomBytes(9).toString('base64url')}@${senderDomain(from)}`;
}
