import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabaseIfMissing, runMigrationsLocked } from '../../src/database/database-setup.js';

const SERVER = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** A fresh database with the real migrations applied, dropped by `drop()`. */
export class TestDatabase {
  private constructor(readonly name: string) {}

  get url(): string {
    return `${SERVER}/${this.name}`;
  }

  static async create(): Promise<TestDatabase> {
    const database = new TestDatabase(`tidings_test_${randomBytes(5).toString('hex')}`);
    await createDatabaseIfMissing(database.url);
    await runMigrationsLocked(database.url);
    return database;
  }

  async drop(): Promise<void> {
    const client = new pg.Client({ connectionString: `${SERVER}/postgres` });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
}
