import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AddressHasher } from './address-hasher.js';
import { SuppressionReason } from './suppression.entity.js';

/**
 * The one owner of `suppressions`: addresses kept only as a keyed hash, so an import cannot bring
 * them back. Rows from before SUPPRESSION_KEY hold an unkeyed SHA-256 (`keyed = false`): they
 * cannot be re-keyed without the address, so they are checked as they are, and replaced by a
 * keyed row whenever the address comes by again (suppressed anew, or lifted).
 */
@Injectable()
export class SuppressionsRepository {
  constructor(private readonly hasher: AddressHasher) {}

  async suppress(manager: EntityManager, normalisedEmail: string, reason: SuppressionReason): Promise<void> {
    await this.dropLegacy(manager, normalisedEmail);
    await manager.query(
      `INSERT INTO suppressions (email_hash, reason, keyed) VALUES ($1, $2, true) ON CONFLICT (email_hash) DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
      [this.hasher.keyed(normalisedEmail), reason],
    );
  }

  /**
   * Called when a subscriber confirms through the double opt-in: that click is new consent from
   * the address owner, which an erasure suppression must not outlive. A bare subscribe request is
   * not enough, since anyone can type someone else's address into the form.
   */
  async lift(manager: EntityManager, normalisedEmail: string): Promise<void> {
    await manager.query(`DELETE FROM suppressions WHERE email_hash = $1 AND keyed`, [
      this.hasher.keyed(normalisedEmail),
    ]);
    await this.dropLegacy(manager, normalisedEmail);
  }

  /** Which of these addresses are suppressed, unless the subscriber is back already (their own opt-in since). */
  async suppressedAmong(manager: EntityManager, emails: string[]): Promise<Set<string>> {
    const refused: { email: string }[] = await manager.query(
      `SELECT i.email FROM unnest($1::text[], $2::text[], $3::text[]) AS i(email, keyed, legacy)
       WHERE EXISTS (SELECT 1 FROM suppressions s WHERE (s.email_hash = decode(i.keyed, 'hex') AND s.keyed)
                                                      OR (s.email_hash = decode(i.legacy, 'hex') AND NOT s.keyed))
         AND NOT EXISTS (SELECT 1 FROM subscribers x WHERE x.email = i.email)`,
      [
        emails,
        emails.map((email) => this.hasher.keyed(email).toString('hex')),
        emails.map((email) => this.hasher.legacy(email).toString('hex')),
      ],
    );
    return new Set(refused.map((row) => row.email));
  }

  private async dropLegacy(manager: EntityManager, normalisedEmail: string): Promise<void> {
    await manager.query(`DELETE FROM suppressions WHERE email_hash = $1 AND NOT keyed`, [
      this.hasher.legacy(normalisedEmail),
    ]);
  }
}
