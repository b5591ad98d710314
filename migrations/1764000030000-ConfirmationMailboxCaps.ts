import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily cap on confirmation mails counts per mailbox (no +tag, no Gmail dots), not per
 * address: each token records a hash of its mailbox. Tokens issued before have none and count
 * for nobody; they expire within CONFIRM_TOKEN_TTL_HOURS.
 */
export class ConfirmationMailboxCaps1764000030000 implements MigrationInterface {
  name = 'ConfirmationMailboxCaps1764000030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE confirmation_tokens ADD COLUMN mailbox_hash bytea`);
    await q.query(
      `CREATE INDEX confirmation_tokens_mailbox_idx ON confirmation_tokens (mailbox_hash, created_at) WHERE mailbox_hash IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX confirmation_tokens_mailbox_idx`);
    await q.query(`ALTER TABLE confirmation_tokens DROP COLUMN mailbox_hash`);
  }
}
