import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure keeps only a SHA-256 of the address, so an import cannot bring an erased reader back
 * without new consent. Also the indexes behind the admin reader listing: keyset on
 * (created_at, id), and trigram search for substring matches on the address.
 */
export class Suppressions1764000004000 implements MigrationInterface {
  name = 'Suppressions1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE suppressions (
        email_hash bytea PRIMARY KEY CHECK (octet_length(email_hash) = 32),
        reason text NOT NULL CHECK (reason IN ('erased')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX subscribers_created_at_id_idx ON subscribers (created_at DESC, id DESC)`);
    // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX subscribers_email_trgm_idx ON subscribers USING gin (email gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX subscribers_email_trgm_idx`);
    await q.query(`DROP INDEX subscribers_created_at_id_idx`);
    await q.query(`DROP TABLE suppressions`);
  }
}
