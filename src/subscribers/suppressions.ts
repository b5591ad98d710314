import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SuppressionReason } from './suppression.entity.js';

/** The one definition of the suppression hash: SHA-256 of the address as `checkEmailAddress` normalises it. */
export function addressHash(normalisedEmail: string): Buffer {
  return createHash('sha256').update(normalisedEmail, 'utf8').digest();
}

export async function suppress(manager: EntityManager, normalisedEmail: string, reason: SuppressionReason): Promise<void> {
  await manager.query(`INSERT INTO suppressions (email_hash, reason) VALUES ($1, $2) ON CONFLICT (email_hash) DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`, [
    addressHash(normalisedEmail),
    reason,
  ]);
}

/**
 * Called when a subscriber confirms through the double opt-in: that click is new consent from the
 * address owner, which an erasure suppression must not outlive. A bare subscribe request is not
 * enough, since anyone can type someone else's address into the form.
 */
export async function liftSuppression(manager: EntityManager, normalisedEmail: string): Promise<void> {
  await manager.query(`DELETE FROM suppressions WHERE email_hash = $1`, [addressHash(normalisedEmail)]);
}
