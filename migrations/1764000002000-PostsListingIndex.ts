import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin listing pages through every post, hidden ones included, by (published_at, id): the
 * partial index of the Posts migration (NOT hidden) cannot serve that keyset.
 */
export class PostsListingIndex1764000002000 implements MigrationInterface {
  name = 'PostsListingIndex1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX posts_published_at_id_idx ON posts (published_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX posts_published_at_id_idx`);
  }
}
