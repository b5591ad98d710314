import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppressions become an HMAC under SUPPRESSION_KEY. The rows already there are unkeyed SHA-256
 * and cannot be re-keyed without the address, which is gone: they are marked `keyed = false` and
 * still checked as SHA-256, until the address comes by again and its row is replaced by a keyed
 * one (SuppressionsRepository). New rows are keyed.
 */
export class KeyedSuppressions1764000030100 implements MigrationInterface {
  name = 'KeyedSuppressions1764000030100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppressions ADD COLUMN keyed boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE suppressions ALTER COLUMN keyed SET DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppressions DROP COLUMN keyed`);
  }
}
