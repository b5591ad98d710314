import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Subscribers1764000000000 implements MigrationInterface {
  name = 'Subscribers1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE subscriber_status AS ENUM ('pending', 'confirmed', 'unsubscribed', 'bounced')`);
    await q.query(`
      CREATE TABLE subscribers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
        name text CHECK (char_length(name) <= 100),
        status subscriber_status NOT NULL DEFAULT 'pending',
        unsubscribe_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        unsubscribed_at timestamptz,
        bounced_at timestamptz,
        CONSTRAINT subscribers_email_key UNIQUE (email),
        CONSTRAINT subscribers_unsubscribe_token_key UNIQUE (unsubscribe_token)
      )`);
    // Fan-out and purge select by status; keep those index-only.
    await q.query(`CREATE INDEX subscribers_status_id_idx ON subscribers (status, id)`);
    await q.query(`CREATE INDEX subscribers_pending_created_idx ON subscribers (created_at) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE confirmation_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL CHECK (octet_length(token_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        mailed_at timestamptz,
        CONSTRAINT confirmation_tokens_token_hash_key UNIQUE (token_hash)
      )`);
    await q.query(
      `CREATE INDEX confirmation_tokens_subscriber_created_idx ON confirmation_tokens (subscriber_id, created_at)`,
    );
    await q.query(`CREATE TYPE consent_event_kind AS ENUM ('subscribe', 'confirm', 'unsubscribe')`);
    await q.query(`
      CREATE TABLE consent_events (
        id bigserial PRIMARY KEY,
        subscriber_id uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
        kind consent_event_kind NOT NULL,
        source text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        ip text,
        user_agent text,
        form_version text,
        consent_text text
      )`);
    await q.query(`CREATE INDEX consent_events_subscriber_idx ON consent_events (subscriber_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consent_events`);
    await q.query(`DROP TYPE consent_event_kind`);
    await q.query(`DROP TABLE confirmation_tokens`);
    await q.query(`DROP TABLE subscribers`);
    await q.query(`DROP TYPE subscriber_status`);
  }
}
