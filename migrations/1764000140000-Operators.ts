import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named operators with a role, their personal API tokens (only the SHA-256 is kept), and the
 * audit log of what they did. The log is append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE, so not even the service itself can rewrite it.
 */
export class Operators1764000140000 implements MigrationInterface {
  name = 'Operators1764000140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE operator_role AS ENUM ('viewer', 'editor', 'owner')`);
    await q.query(`
      CREATE TABLE operators (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        role operator_role NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX operators_email_key ON operators (lower(email))`);
    await q.query(`
      CREATE TABLE operator_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        operator_id uuid NOT NULL REFERENCES operators (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX operator_tokens_operator_idx ON operator_tokens (operator_id, created_at)`);
    await q.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        operator_id uuid REFERENCES operators (id),
        operator_label text NOT NULL,
        ip text,
        action text NOT NULL,
        target text,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
        status smallint NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_operator_idx ON audit_log (operator_id, at DESC, id DESC)`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE operator_tokens`);
    await q.query(`DROP TABLE operators`);
    await q.query(`DROP TYPE operator_role`);
  }
}
