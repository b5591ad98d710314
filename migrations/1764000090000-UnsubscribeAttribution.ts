import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An unsubscribe names the digest whose link (or mailto) the subscriber used, so each digest can
 * show how many left from it next to its bounces and complaints. Only unsubscribes carry it, and
 * the partial index serves the per-digest count.
 */
export class UnsubscribeAttribution1764000090000 implements MigrationInterface {
  name = 'UnsubscribeAttribution1764000090000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent_events ADD COLUMN digest_id uuid REFERENCES digests (id) ON DELETE SET NULL`);
    await q.query(
      `CREATE INDEX consent_events_digest_unsubscribes_idx ON consent_events (digest_id) WHERE digest_id IS NOT NULL AND kind = 'unsubscribe'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent_events DROP COLUMN digest_id`);
  }
}
