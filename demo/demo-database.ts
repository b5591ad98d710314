import pg from 'pg';
import { runMigrationsLocked } from '../src/database/database-setup.js';
import { DemoRefusal } from './demo-refusal.js';
import { SAMPLE_FEED_PATH } from './sample-feed-server.js';

/** Left on a database the demo created, so a later run (and `\l+` in psql) can tell. */
const CREATED_BY_DEMO = 'created by npm run demo';

/** The tables the demo writes to, directly or through the app; a re-run empties them only when every row is the demo's. */
const DEMO_TABLES = [
  'delivery_events',
  'deliveries',
  'digest_delivery_counts',
  'digest_posts',
  'digests',
  'posts',
  'feeds',
  'consent_events',
  'confirmation_tokens',
  'subscribers',
  'suppressions',
];

export interface DemoDatabase {
  name: string;
  /** Whether the demo created this database, now or on an earlier run. */
  createdByDemo: boolean;
}

/**
 * Makes the database DATABASE_URL names ready for a demo run without ever dropping a database:
 * - missing: created (and commented as the demo's), then migrated;
 * - existing: used only if it has no tables or is a Tidings database whose rows are all the
 *   demo's (its three subscribers, its sample feed and what the app made from them). Those rows
 *   are then emptied, so each run starts clean. Anything else is refused, unchanged: the demo
 *   would otherwise mail real subscribers or delete what it did not make.
 */
export async function prepareDemoDatabase(url: string, demoEmails: string[]): Promise<DemoDatabase> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) throw new DemoRefusal(`DATABASE_URL names an unusable database "${name}"`);

  const created = await createIfMissing(url, name);
  const createdByDemo = created || (await isMarked(url, name));
  const refuse = (problem: string) =>
    new DemoRefusal(
      `database ${name} ${problem}; the demo only clears its own rows. Name another database in DATABASE_URL` +
        (createdByDemo ? `, or drop this one (an earlier demo run created it): dropdb ${name}` : ''),
    );

  await withClient(url, async (client) => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const tables = rows.map((row) => row.table_name);
    if (tables.length && !tables.includes('migrations'))
      throw refuse('has tables but no Tidings migrations table, so it is not a Tidings database');
    // Checked before migrating too, so a refused database is left exactly as it was.
    if (tables.length) {
      const foreign = await foreignRows(client, demoEmails);
      if (foreign) throw refuse(`holds data the demo did not put there (${foreign})`);
    }
  });
  await runMigrationsLocked(url);
  await withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      // Locked first, so nothing can slip in between the check and the emptying.
      await client.query(`LOCK TABLE ${DEMO_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      const foreign = await foreignRows(client, demoEmails);
      if (foreign) throw refuse(`holds data the demo did not put there (${foreign})`);
      // TRUNCATE rather than DELETE: a sent digest refuses DELETE by design (its trigger), and
      // every row here is the demo's. No CASCADE: a table added later that points at these makes
      // this fail instead of being emptied unchecked.
      await client.query(`TRUNCATE ${DEMO_TABLES.join(', ')}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
  return { name, createdByDemo };
}

/** Rows the demo did not make, worded for the refusal ("subscribers: 2, posts: 14"), or '' when there are none. */
async function foreignRows(client: pg.Client, demoEmails: string[]): Promise<string> {
  const feedPattern = `^http://127\\.0\\.0\\.1:[0-9]+${SAMPLE_FEED_PATH.replace(/[.]/g, '\\.')}$`;
  const { rows } = await client.query<Record<string, number>>(
    `SELECT
       (SELECT count(*) FROM subscribers WHERE email <> ALL ($1::text[]))::int AS subscribers,
       (SELECT count(*) FROM suppressions)::int AS "suppressed addresses",
       (SELECT count(*) FROM feeds WHERE url !~ $2)::int AS feeds,
       (SELECT count(*) FROM posts p LEFT JOIN feeds f ON f.id = p.feed_id WHERE f.url IS NULL OR f.url !~ $2)::int AS posts,
       (SELECT count(*) FROM digests d WHERE NOT EXISTS (SELECT 1 FROM digest_posts dp WHERE dp.digest_id = d.id))::int AS "digests without the demo's posts",
       (SELECT count(*) FROM deliveries WHERE subscriber_id IS NULL)::int AS "deliveries to erased subscribers",
       (SELECT count(*) FROM delivery_events)::int AS "provider events"`,
    [demoEmails, feedPattern],
  );
  return Object.entries(rows[0])
    .filter(([, count]) => count > 0)
    .map(([what, count]) => `${what}: ${count}`)
    .join(', ');
}

/** Creates the database when it is missing and marks it as the demo's; true when this run created it. */
async function createIfMissing(url: string, name: string): Promise<boolean> {
  return withClient(adminUrl(url), async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Someone else created it between our check and our CREATE: theirs, not ours.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
    await client.query(`COMMENT ON DATABASE "${name}" IS '${CREATED_BY_DEMO}'`);
    return true;
  });
}

async function isMarked(url: string, name: string): Promise<boolean> {
  return withClient(adminUrl(url), async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    return rows[0]?.comment === CREATED_BY_DEMO;
  });
}

function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
