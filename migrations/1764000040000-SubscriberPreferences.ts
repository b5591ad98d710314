import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a subscriber can change on their manage page: a pause (the fan-out leaves them out until
 * `paused_until`), HTML or plain text only, and a new address awaiting confirmation (a
 * confirmation token that carries `new_email`). Each change is a consent event of its own kind.
 */
export class SubscriberPreferences1764000040000 implements MigrationInterface {
  name = 'SubscriberPreferences1764000040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE mail_format AS ENUM ('html', 'text')`);
    await q.query(`ALTER TABLE subscribers ADD COLUMN paused_until timestamptz,
      ADD COLUMN mail_format mail_format NOT NULL DEFAULT 'html'`);
    await q.query(`ALTER TABLE confirmation_tokens ADD COLUMN new_email text`);
    for (const kind of ['resubscribe', 'pause', 'resume', 'format', 'email_change_request', 'email_change'])
      await q.query(`ALTER TYPE consent_event_kind ADD VALUE IF NOT EXISTS '${kind}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Enum values cannot be dropped; events of the new kinds would have nowhere to go anyway.
    await q.query(`ALTER TABLE confirmation_tokens DROP COLUMN new_email`);
    await q.query(`ALTER TABLE subscribers DROP COLUMN paused_until, DROP COLUMN mail_format`);
    await q.query(`DROP TYPE mail_format`);
  }
}
