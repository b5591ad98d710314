import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SuppressionReason } from './suppression.entity.js';

/** The one definition of the suppression hash: SHA-256 of the address as `checkEmailAddress` normalises it. */
export function addressHash(normalisedEmail: string): Buffer {
  return createHash('sha256').update(normalisedEmail, 'utf8').digest();
}

/** The one owner of `suppressions`: addresses kept only as a hash, so an import cannot bring them back. */
@Injectable()
export class SuppressionsRepository {
  async suppress(manager: EntityManager, normalisedEmail: string, reason: SuppressionReason): Promise<void> {
    await manager.query(
      `INSERT INTO suppressions (email_hash, reason) VALUES ($1, $2) ON CONFLICT (email_hash) DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
      [addressHash(normalisedEmail), reason],
    );
  }

  /**
   * Called when a subscriber confirms through the double opt-in: that click is new consent from
   * the address owner, which an erasure suppression must not outlive. A bare subscribe request is
   * not enough, since anyone can type someone else's address into the form.
   */
  async lift(manager: EntityManager, normalisedEmail: string): Promise<void> {
    await manager.query(`DELETE FROM suppressions WHERE email_hash = $1`, [addressHash(normalisedEmail)]);
  }

  /** Which of these addresses are suppressed, unless the subscriber is back already (their own opt-in since). */
  async suppressedAmong(manager: EntityManager, emails: string[]): Promise<Set<string>> {
    const refused: { email: string }[] = await manager.query(
      `SELECT i.email FROM unnest($1::text[], $2::text[]) AS i(email, hash)
       WHERE EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = decode(i.hash, 'hex'))
         AND NOT EXISTS (SELECT 1 FROM subscribers x WHERE x.email = i.email)`,
      [emails, emails.map((email) => addressHash(email).toString('hex'))],
    );
    return new Set(refused.map((row) => row.email));
  }
}
