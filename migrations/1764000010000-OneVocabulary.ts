import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The code and the API call the people on the list subscribers; the schema now does too. */
export class OneVocabulary1764000010000 implements MigrationInterface {
  name = 'OneVocabulary1764000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE digests RENAME COLUMN recipients_frozen_at TO subscribers_frozen_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE digests RENAME COLUMN subscribers_frozen_at TO recipients_frozen_at`);
  }
}
