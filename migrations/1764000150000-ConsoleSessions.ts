import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator console's sign-in links and sessions. Only SHA-256 hashes of the link tokens and
 * session ids are kept, so a copy of the database signs nobody in. A session is checked against
 * this table on every request: revoking it (or disabling its operator) holds at once.
 */
export class ConsoleSessions1764000150000 implements MigrationInterface {
  name = 'ConsoleSessions1764000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sign_in_links (
        token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
        operator_id uuid NOT NULL REFERENCES operators (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX console_sign_in_links_expiry_idx ON console_sign_in_links (expires_at)`);
    await q.query(`
      CREATE TABLE console_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_hash bytea NOT NULL UNIQUE CHECK (length(session_hash) = 32),
        operator_id uuid NOT NULL REFERENCES operators (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX console_sessions_operator_idx ON console_sessions (operator_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
    await q.query(`DROP TABLE console_sign_in_links`);
  }
}
