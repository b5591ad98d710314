import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unsubscribe and manage tokens are no longer stored. A subscriber keeps a random `link_nonce`;
 * the token in their links is an HMAC of it under TOKEN_KEY, made when a mail is built (see
 * `subscribers/link-tokens.ts`). Links already mailed keep working through the SHA-256 of their
 * old token, until the subscriber re-subscribes and gets a new nonce.
 */
export class KeyedLinkTokens1764000120000 implements MigrationInterface {
  name = 'KeyedLinkTokens1764000120000';

  async up(q: QueryRunner): Promise<void> {
    // A volatile default is evaluated per existing row: each gets its own nonce.
    await q.query(`ALTER TABLE subscribers ADD COLUMN link_nonce bytea NOT NULL DEFAULT uuid_send(gen_random_uuid())`);
    await q.query(`ALTER TABLE subscribers ADD COLUMN legacy_token_hash bytea`);
    await q.query(`UPDATE subscribers SET legacy_token_hash = sha256(convert_to(unsubscribe_token, 'UTF8'))`);
    await q.query(
      `CREATE UNIQUE INDEX subscribers_legacy_token_hash_key ON subscribers (legacy_token_hash) WHERE legacy_token_hash IS NOT NULL`,
    );
    await q.query(`ALTER TABLE subscribers DROP COLUMN unsubscribe_token`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The old tokens cannot be recovered: every subscriber gets a new random one.
    await q.query(
      `ALTER TABLE subscribers ADD COLUMN unsubscribe_token text NOT NULL DEFAULT encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'hex')`,
    );
    await q.query(`ALTER TABLE subscribers ALTER COLUMN unsubscribe_token DROP DEFAULT`);
    await q.query(
      `ALTER TABLE subscribers ADD CONSTRAINT subscribers_unsubscribe_token_key UNIQUE (unsubscribe_token)`,
    );
    await q.query(`DROP INDEX subscribers_legacy_token_hash_key`);
    await q.query(`ALTER TABLE subscribers DROP COLUMN legacy_token_hash, DROP COLUMN link_nonce`);
  }
}
