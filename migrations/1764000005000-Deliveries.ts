import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per (digest, reader): the record of who got what. Redis only carries the jobs; this
 * table is what the reconciler, the operator and the metrics read.
 */
export class Deliveries1764000005000 implements MigrationInterface {
  name = 'Deliveries1764000005000';

  async up(q: QueryRunner): Promise<void> {
    // recipients_frozen_at fixes who gets the digest (confirmed at that instant) so the fan-out can
    // insert in committed batches; fanned_out_at marks it complete, so a crash midway is resumed.
    await q.query(
      `ALTER TABLE digests ADD COLUMN paused_at timestamptz, ADD COLUMN recipients_frozen_at timestamptz, ADD COLUMN fanned_out_at timestamptz`,
    );
    await q.query(`CREATE TYPE delivery_status AS ENUM ('queued', 'sending', 'sent', 'failed', 'bounced', 'skipped')`);
    await q.query(`
      CREATE TABLE deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        digest_id uuid NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
        -- Erasing a reader keeps the anonymous row, so a digest's counts never change afterwards.
        subscriber_id uuid REFERENCES subscribers (id) ON DELETE SET NULL,
        status delivery_status NOT NULL DEFAULT 'queued',
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text CHECK (char_length(last_error) <= 1000),
        last_error_code integer,
        message_id text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- Reader first: the same index serves a reader's history and the foreign key's SET NULL.
        CONSTRAINT deliveries_subscriber_digest_key UNIQUE (subscriber_id, digest_id)
      )`);
    // Filtered, keyset-paginated lists per digest, and the reconciler's scan of unfinished rows.
    await q.query(`CREATE INDEX deliveries_digest_status_id_idx ON deliveries (digest_id, status, id)`);

    // A status only moves forward. The one way back, failed to queued, is an operator's retry,
    // which says so by setting tidings.retry_failed for its transaction.
    await q.query(`
      CREATE FUNCTION deliveries_status_forward() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(
      `CREATE TRIGGER deliveries_status_forward BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION deliveries_status_forward()`,
    );

    // Counts per digest and status, kept by statement-level triggers so that a digest's progress
    // is a primary-key read, not a scan of 100,000 rows. Rows are always touched in key order, so
    // concurrent senders cannot deadlock on them.
    await q.query(`
      CREATE TABLE digest_delivery_counts (
        digest_id uuid NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
        status delivery_status NOT NULL,
        -- No CHECK (count >= 0): ON CONFLICT checks the proposed row (a -1 delta) before it merges.
        count bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (digest_id, status)
      )`);
    await q.query(`
      CREATE FUNCTION deliveries_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO digest_delivery_counts AS c (digest_id, status, count)
        SELECT digest_id, status, sum(delta) FROM (
          SELECT digest_id, status, 1 AS delta FROM new_rows
          UNION ALL
          SELECT digest_id, status, -1 FROM old_rows
        ) changes
        GROUP BY digest_id, status
        HAVING sum(delta) <> 0
        ORDER BY digest_id, status
        ON CONFLICT (digest_id, status) DO UPDATE SET count = c.count + EXCLUDED.count;
        RETURN NULL;
      END $$`);
    // Transition tables must exist for the function, so each event gets an empty stand-in.
    await q.query(`CREATE FUNCTION deliveries_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO digest_delivery_counts AS c (digest_id, status, count)
        SELECT digest_id, status, count(*) FROM new_rows GROUP BY digest_id, status ORDER BY digest_id, status
        ON CONFLICT (digest_id, status) DO UPDATE SET count = c.count + EXCLUDED.count;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION deliveries_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE digest_delivery_counts c SET count = c.count - gone.n
        FROM (SELECT digest_id, status, count(*) AS n FROM old_rows GROUP BY digest_id, status ORDER BY digest_id, status) gone
        WHERE c.digest_id = gone.digest_id AND c.status = gone.status;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_count_insert()`,
    );
    await q.query(
      `CREATE TRIGGER deliveries_count_update AFTER UPDATE ON deliveries REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_count()`,
    );
    await q.query(
      `CREATE TRIGGER deliveries_count_delete AFTER DELETE ON deliveries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION deliveries_count_delete()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE digest_delivery_counts`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP FUNCTION deliveries_count_delete()`);
    await q.query(`DROP FUNCTION deliveries_count_insert()`);
    await q.query(`DROP FUNCTION deliveries_count()`);
    await q.query(`DROP FUNCTION deliveries_status_forward()`);
    await q.query(`DROP TYPE delivery_status`);
    await q.query(
      `ALTER TABLE digests DROP COLUMN paused_at, DROP COLUMN recipients_frozen_at, DROP COLUMN fanned_out_at`,
    );
  }
}
