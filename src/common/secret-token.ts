import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: for confirmation and unsubscribe links. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest of a confirmation token is stored. */
export function hashSecretToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * A token as we issue them: 43 base64url characters (confirmation links, and unsubscribe links
 * from before keyed tokens) or 44 (unsubscribe and manage links). Anything else is refused
 * without a lookup.
 */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43,44}$/.test(token);
}
