import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DeliveryRetrying and Deliverability were written side by side, and each replaced the
 * forward-only status trigger with its own new step; the later one would drop the other's. This
 * is the union: `retrying` between attempts, and sent -> bounced | complained when a provider
 * reports back. Compared as text, since enum values added earlier in the same run may not be
 * usable as literals yet.
 */
export class DeliveryStatusTransitions1764000060000 implements MigrationInterface {
  name = 'DeliveryStatusTransitions1764000060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION deliveries_status_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = OLD.status
          OR OLD.status::text = 'queued' AND NEW.status::text <> 'queued'
          OR OLD.status::text = 'sending' AND NEW.status::text IN ('sent', 'failed', 'bounced', 'skipped', 'retrying')
          OR OLD.status::text = 'retrying' AND NEW.status::text IN ('sending', 'skipped')
          OR OLD.status::text = 'sent' AND NEW.status::text IN ('bounced', 'complained')
          OR OLD.status::text = 'failed' AND NEW.status::text = 'queued' AND current_setting('tidings.retry_failed', true) = 'on'
        THEN
          NEW.updated_at := now();
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'delivery % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'check_violation';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to Deliverability's trigger, the last one before this.
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
  }
}
