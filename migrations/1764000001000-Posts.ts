import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Posts1764000001000 implements MigrationInterface {
  name = 'Posts1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feeds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (url ~ '^https?://'),
        title text,
        etag text,
        last_modified text,
        last_polled_at timestamptz,
        last_success_at timestamptz,
        last_error_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT feeds_url_key UNIQUE (url)
      )`);
    await q.query(`
      CREATE TABLE posts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        feed_id uuid REFERENCES feeds (id) ON DELETE SET NULL,
        guid text NOT NULL CHECK (char_length(guid) BETWEEN 1 AND 2000),
        url text NOT NULL CHECK (url ~ '^https?://' AND char_length(url) <= 2000),
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
        summary text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 5000),
        image_url text CHECK (image_url ~ '^https?://' AND char_length(image_url) <= 2000),
        author text CHECK (char_length(author) <= 200),
        categories text[] NOT NULL DEFAULT '{}',
        published_at timestamptz NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        hidden boolean NOT NULL DEFAULT false,
        -- A manual post has no feed; NULLS NOT DISTINCT keeps its guid unique among manual posts too.
        CONSTRAINT posts_feed_guid_key UNIQUE NULLS NOT DISTINCT (feed_id, guid)
      )`);
    await q.query(`CREATE INDEX posts_published_at_idx ON posts (published_at DESC) WHERE NOT hidden`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE posts`);
    await q.query(`DROP TABLE feeds`);
  }
}
