import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The weekly digest and the posts it carries. The database itself keeps the promises the code
 * relies on: one digest per period, a post in at most one live digest, and a sent digest that
 * never changes.
 */
export class Digests1764000003000 implements MigrationInterface {
  name = 'Digests1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TYPE digest_status AS ENUM ('composed', 'approved', 'sending', 'sent', 'skipped', 'cancelled', 'failed')`,
    );
    await q.query(`
      CREATE TABLE digests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        status digest_status NOT NULL,
        subject text CHECK (char_length(subject) BETWEEN 1 AND 200 AND subject !~ '[\\r\\n]'),
        preheader text CHECK (char_length(preheader) <= 300),
        html text,
        text text,
        post_count integer NOT NULL DEFAULT 0 CHECK (post_count BETWEEN 0 AND 50),
        more_count integer NOT NULL DEFAULT 0 CHECK (more_count >= 0),
        hold_reason text CHECK (char_length(hold_reason) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        approved_at timestamptz,
        cancelled_at timestamptz,
        sending_at timestamptz,
        sent_at timestamptz,
        CONSTRAINT digests_period_key UNIQUE (period_start, period_end),
        CONSTRAINT digests_period_check CHECK (period_end > period_start),
        -- A skipped week has nothing to say; every other digest was rendered when it was composed.
        CONSTRAINT digests_content_check CHECK (
          status = 'skipped' AND post_count = 0 AND html IS NULL
          OR status <> 'skipped' AND subject IS NOT NULL AND html IS NOT NULL AND text IS NOT NULL AND post_count > 0
        )
      )`);
    await q.query(`CREATE INDEX digests_period_end_idx ON digests (period_end DESC)`);
    await q.query(`CREATE INDEX digests_sent_idx ON digests (sent_at DESC) WHERE status = 'sent'`);
    await q.query(`
      CREATE TABLE digest_posts (
        digest_id uuid NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
        post_id uuid NOT NULL REFERENCES posts (id) ON DELETE RESTRICT,
        position smallint NOT NULL CHECK (position BETWEEN 1 AND 50),
        -- False once the digest is cancelled: the post is free for a later digest again.
        claims_post boolean NOT NULL DEFAULT true,
        PRIMARY KEY (digest_id, post_id),
        CONSTRAINT digest_posts_position_key UNIQUE (digest_id, position)
      )`);
    // A post goes out in at most one digest, whatever the code above this does.
    await q.query(`CREATE UNIQUE INDEX digest_posts_one_live_digest_idx ON digest_posts (post_id) WHERE claims_post`);

    await q.query(`
      CREATE FUNCTION digests_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status IN ('sending', 'sent') THEN
            RAISE EXCEPTION 'digest % is %: it cannot be deleted', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status IN ('sending', 'sent') AND (
          NEW.period_start, NEW.period_end, NEW.subject, NEW.preheader, NEW.html, NEW.text, NEW.post_count, NEW.more_count
        ) IS DISTINCT FROM (
          OLD.period_start, OLD.period_end, OLD.subject, OLD.preheader, OLD.html, OLD.text, OLD.post_count, OLD.more_count
        ) THEN
          RAISE EXCEPTION 'digest % is %: its content cannot change', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        -- The one way back from sent: retrying failed deliveries reopens the digest, allowed
        -- only to a transaction that says so (SET LOCAL tidings.retry_failed = 'on').
        IF OLD.status IN ('sent', 'skipped', 'cancelled') AND NEW.status <> OLD.status
          AND NOT (OLD.status = 'sent' AND NEW.status = 'sending' AND current_setting('tidings.retry_failed', true) = 'on') THEN
          RAISE EXCEPTION 'digest % is %, which is final', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        NEW.updated_at := now();
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER digests_guard BEFORE UPDATE OR DELETE ON digests FOR EACH ROW EXECUTE FUNCTION digests_guard()`,
    );

    await q.query(`
      CREATE FUNCTION digests_release_posts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE digest_posts SET claims_post = false WHERE digest_id = NEW.id AND claims_post;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER digests_release_posts AFTER UPDATE OF status ON digests FOR EACH ROW
      WHEN (NEW.status IN ('cancelled', 'skipped') AND OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION digests_release_posts()`);

    await q.query(`
      CREATE FUNCTION digest_posts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        current_status digest_status;
      BEGIN
        SELECT status INTO current_status FROM digests WHERE id = COALESCE(NEW.digest_id, OLD.digest_id);
        IF current_status IN ('sending', 'sent') THEN
          RAISE EXCEPTION 'digest % is %: its posts cannot change', COALESCE(NEW.digest_id, OLD.digest_id), current_status USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN COALESCE(NEW, OLD);
      END $$`);
    await q.query(
      `CREATE TRIGGER digest_posts_guard BEFORE INSERT OR UPDATE OR DELETE ON digest_posts FOR EACH ROW EXECUTE FUNCTION digest_posts_guard()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE digest_posts`);
    await q.query(`DROP FUNCTION digest_posts_guard()`);
    await q.query(`DROP TABLE digests`);
    await q.query(`DROP FUNCTION digests_release_posts()`);
    await q.query(`DROP FUNCTION digests_guard()`);
    await q.query(`DROP TYPE digest_status`);
  }
}
