import { createHash, randomBytes } from 'node:crypto';

/** A personal API token: shown once, only its SHA-256 is stored. The prefix makes a leaked one recognisable. */
export function newOperatorToken(): { token: string; hash: Buffer } {
  const token = `tid_${randomBytes(32).toString('base64url')}`;
  return { token, hash: createHash('sha256').update(token).digest() };
}
