import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the compose step decided that an operator should see: posts it left out and why, cards
 * trimmed to stay under Gmail's clipping size, feeds that may not cover the whole period.
 * A JSON array of `{ kind, message, ... }` (see src/digests/compose-note.ts).
 */
export class DigestComposeNotes1764000007000 implements MigrationInterface {
  name = 'DigestComposeNotes1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE digests ADD COLUMN compose_notes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(compose_notes) = 'array')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE digests DROP COLUMN compose_notes`);
  }
}
