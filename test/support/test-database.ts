import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabaseIfMissing, runMigrationsLocked } from '../../src/database/database-setup.js';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
/** Any constant: held on the `postgres` database while the run's template is made. */
const TEMPLATE_LOCK_KEY = 7_412_202_612;

/**
 * A fresh database with the real migrations applied, dropped by `drop()`. Within a Jest run
 * (global-setup.js names it) the first one migrates a template database and the others are
 * copies of it, several times faster than migrating each; the teardown drops the template.
 */
export class TestDatabase {
  private constructor(readonly name: string) {}

  get url(): string {
    return `${SERVER}/${this.name}`;
  }

  static async create(): Promise<TestDatabase> {
    const database = new TestDatabase(`tidings_test_${randomBytes(5).toString('hex')}`);
    const run = process.env.TIDINGS_TEST_RUN;
    if (run) await copyTemplate(`tidings_test_template_${run}`, database.name);
    else await createDatabaseIfMissing(database.url);
    // Nothing left to apply on a copy; it would catch a template older than the migrations.
    await runMigrationsLocked(database.url);
    return database;
  }

  async drop(): Promise<void> {
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }
}

async function copyTemplate(template: string, name: string): Promise<void> {
  await withAdmin(async (client) => {
    // Two test files may start at once: one makes the template, the other waits for it.
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!rowCount) {
        await client.query(`CREATE DATABASE "${template}"`);
        await runMigrationsLocked(`${SERVER}/${template}`);
      }
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
