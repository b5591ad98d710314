import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hearing back from mail providers: the provider's message id on each delivery (both ids indexed,
 * so an event finds its delivery), a `complained` status and the one backward step (a delivery
 * sent, then reported bounced or complained), the reason a send paused itself, suppressions for
 * complaints and bounces, and `delivery_events`, every provider event as received with its verdict.
 */
export class Deliverability1764000050010 implements MigrationInterface {
  name = 'Deliverability1764000050010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TYPE delivery_status ADD VALUE IF NOT EXISTS 'complained'`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN provider_message_id text`);
    await q.query(`CREATE INDEX deliveries_message_id_idx ON deliveries (message_id) WHERE message_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX deliveries_provider_message_id_idx ON deliveries (provider_message_id) WHERE provider_message_id IS NOT NULL`,
    );
    // As in Deliveries1764000005000, plus sent -> bounced | complained: the provider tells us later.
    await q.query(`
      CREATE OR REPLACE FUNCTION deliveries_status_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = OLD.status
          OR OLD.status = 'queued' AND NEW.status <> 'queued'
          OR OLD.status = 'sending' AND NEW.status IN ('sent', 'failed', 'bounced', 'skipped')
          OR OLD.status = 'sent' AND NEW.status::text IN ('bounced', 'complained')
          OR OLD.status = 'failed' AND NEW.status = 'queued' AND current_setting('tidings.retry_failed', true) = 'on'
        THEN
          NEW.updated_at := now();
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'delivery % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END $$`);
    await q.query(`ALTER TABLE digests ADD COLUMN pause_reason text`);
    await q.query(`ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check`);
    await q.query(
      `ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check CHECK (reason IN ('erased', 'complaint', 'bounce'))`,
    );
    await q.query(`
      CREATE TABLE delivery_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        provider text NOT NULL,
        -- The provider's own id for the event (SNS MessageId, Mailgun token...): a replay is a conflict.
        event_key text NOT NULL,
        type text NOT NULL CHECK (type IN ('bounce', 'soft_bounce', 'complaint', 'delivered', 'other')),
        message_id text,
        provider_message_id text,
        delivery_id bigint REFERENCES deliveries (id) ON DELETE SET NULL,
        digest_id uuid,
        subscriber_id uuid REFERENCES subscribers (id) ON DELETE SET NULL,
        verdict text NOT NULL,
        detail text,
        raw jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider, event_key)
      )`);
    await q.query(`CREATE INDEX delivery_events_received_at_idx ON delivery_events (received_at, id)`);
    await q.query(
      `CREATE INDEX delivery_events_soft_bounces_idx ON delivery_events (subscriber_id, received_at) WHERE type = 'soft_bounce'`,
    );
    await q.query(`CREATE INDEX delivery_events_digest_idx ON delivery_events (digest_id, type)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery_events`);
    await q.query(`DELETE FROM suppressions WHERE reason <> 'erased'`);
    await q.query(`ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check`);
    await q.query(`ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check CHECK (reason IN ('erased'))`);
    await q.query(`ALTER TABLE digests DROP COLUMN pause_reason`);
    await q.query(`DROP INDEX deliveries_provider_message_id_idx`);
    await q.query(`DROP INDEX deliveries_message_id_idx`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN provider_message_id`);
    // An enum value cannot be dropped; `complained` stays, unused, as the old trigger never allows it.
  }
}
