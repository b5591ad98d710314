import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery waiting for its next attempt after a temporary failure is `retrying`, not `sending`:
 * the operator sees it apart, and cancel and resume know it has no send in flight. The new value
 * is only added here, never used, because PostgreSQL refuses a new enum value inside the
 * transaction that adds it; the trigger's plpgsql reads it at run time.
 */
export class DeliveryRetrying1764000020000 implements MigrationInterface {
  name = 'DeliveryRetrying1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TYPE delivery_status ADD VALUE IF NOT EXISTS 'retrying' AFTER 'sending'`);
    // When the next attempt is due; set only while retrying, so the partial index stays small
    // and the earliest and latest due times of a digest are index reads.
    await q.query(`ALTER TABLE deliveries ADD COLUMN next_attempt_at timestamptz`);
    await q.query(
      `CREATE INDEX deliveries_next_attempt_idx ON deliveries (digest_id, next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
    );
    // The last outcome of each digest's send, for "nothing sent for 120 s" without a scan.
    await q.query(`CREATE INDEX deliveries_digest_finished_idx ON deliveries (digest_id, finished_at)`);
    // sending -> retrying after a temporary failure; retrying -> sending when the retry claims it,
    // or -> skipped when the digest is cancelled or the subscriber left.
    await q.query(`
      CREATE OR REPLACE FUNCTION deliveries_status_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = OLD.status
          OR OLD.status = 'queued' AND NEW.status <> 'queued'
          OR OLD.status = 'sending' AND NEW.status IN ('sent', 'failed', 'bounced', 'skipped', 'retrying')
          OR OLD.status = 'retrying' AND NEW.status IN ('sending', 'skipped')
          OR OLD.status = 'failed' AND NEW.status = 'queued' AND current_setting('tidings.retry_failed', true) = 'on'
        THEN
          NEW.updated_at := now();
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'delivery % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE deliveries SET status = 'sending' WHERE status = 'retrying'`);
    await q.query(`
      CREATE OR REPLACE FUNCTION deliveries_status_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = OLD.status
          OR OLD.status = 'queued' AND NEW.status <> 'queued'
          OR OLD.status = 'sending' AND NEW.status IN ('sent', 'failed', 'bounced', 'skipped')
          OR OLD.status = 'failed' AND NEW.status = 'queued' AND current_setting('tidings.retry_failed', true) = 'on'
        THEN
          NEW.updated_at := now();
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'delivery % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(`DROP INDEX deliveries_digest_finished_idx`);
    await q.query(`DROP INDEX deliveries_next_attempt_idx`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN next_attempt_at`);
    // An enum value cannot be dropped; 'retrying' stays, unused.
  }
}
