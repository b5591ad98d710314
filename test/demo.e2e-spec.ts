import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { projectRoot } from '../src/common/project-root.js';
import { SmtpSink } from './support/smtp-sink.js';
import { deleteRedisKeys } from './support/test-app.js';
import { TestDatabase } from './support/test-database.js';
import { buildApp } from './support/worker-process.js';

const root = projectRoot();
const SERVER = 'postgres://postgres@127.0.0.1:5432';
const DEMO_ADDRESSES = ['dana.reader@example.com', 'lee.case-manager@example.org', 'sam.cfo@example.net'];

/** Runs the built demo (`npm run demo` without its compile step) with exactly these variables plus PATH. */
async function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(root, 'dist/demo/run-demo.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  // Also passed on to the test's own streams, which the test environment shows if the test fails.
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

async function query<T extends pg.QueryResultRow>(database: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: `${SERVER}/${database}` });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function databaseComment(name: string): Promise<string | null | undefined> {
  const rows = await query<{ comment: string | null }>(
    'postgres',
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [name],
  );
  return rows.length ? rows[0].comment : undefined;
}

async function redisKeys(prefix: string): Promise<string[]> {
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    return (await redis.keys(`${prefix}:*`)).sort();
  } finally {
    redis.disconnect();
  }
}

describe('npm run demo', () => {
  let smtp: SmtpSink;
  const prefix = () => `td${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    await buildApp();
    smtp = await SmtpSink.start();
  }, 120_000);

  afterAll(async () => {
    await smtp?.close();
  });

  it('runs in a database it did not create, leaves that database in place, and on a re-run clears only its own rows', async () => {
    const database = await TestDatabase.create();
    const redisPrefix = prefix();
    const env = { DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, SMTP_URL: smtp.url };
    try {
      const first = await runDemo(env);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('3 copies mailed');
      expect(first.stdout).toContain(`database ${database.name}, which it did not create and leaves in place`);

      const second = await runDemo(env);
      expect(second.code).toBe(0);
      expect(await databaseComment(database.name)).toBeNull();
      expect(
        (await query<{ email: string }>(database.name, 'SELECT email FROM subscribers ORDER BY email')).map(
          (row) => row.email,
        ),
      ).toEqual([...DEMO_ADDRESSES].sort());
      // The first run's digest was cleared; the second run's is the one left.
      expect(await query(database.name, `SELECT status FROM digests`)).toEqual([{ status: 'sent' }]);
      for (const address of DEMO_ADDRESSES) expect(smtp.to(address)).toHaveLength(2);
      expect(await redisKeys(redisPrefix)).toContain(`${redisPrefix}:demo-owner`);
    } finally {
      await database.drop();
      await deleteRedisKeys(redisPrefix);
    }
  });

  it('refuses a database holding a subscriber it did not put there, with one line, changing nothing and mailing no one', async () => {
    const database = await TestDatabase.create();
    const redisPrefix = prefix();
    const mailsBefore = smtp.received.length;
    try {
      await query(
        database.name,
        `INSERT INTO subscribers (email, status, confirmed_at) VALUES ('someone.real@example.com', 'confirmed', now())`,
        [],
      );
      const run = await runDemo({ DATABASE_URL: database.url, REDIS_PREFIX: redisPrefix, SMTP_URL: smtp.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `demo: database ${database.name} holds data the demo did not put there (subscribers: 1); the demo only clears its own rows. Name another database in DATABASE_URL\n`,
      );
      expect(await query(database.name, 'SELECT email FROM subscribers')).toEqual([
        { email: 'someone.real@example.com' },
      ]);
      expect(smtp.received).toHaveLength(mailsBefore);
      expect(await redisKeys(redisPrefix)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('refuses a database that is not a Tidings database', async () => {
    const name = `tidings_demo_test_${randomBytes(4).toString('hex')}`;
    await query('postgres', `CREATE DATABASE ${name}`);
    try {
      await query(name, 'CREATE TABLE orders (id int)');
      const run = await runDemo({ DATABASE_URL: `${SERVER}/${name}`, REDIS_PREFIX: prefix(), SMTP_URL: smtp.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `^demo: database ${name} has tables but no Tidings migrations table, so it is not a Tidings database; .*\n$`,
        ),
      );
      expect(
        await query(name, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`),
      ).toEqual([{ table_name: 'orders' }]);
    } finally {
      await query('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it('refuses a Redis prefix holding keys it did not put there, before creating or changing any database', async () => {
    const name = `tidings_demo_test_${randomBytes(4).toString('hex')}`;
    const redisPrefix = prefix();
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      await redis.set(`${redisPrefix}:delivery:meta`, 'a running Tidings');
      const run = await runDemo({ DATABASE_URL: `${SERVER}/${name}`, REDIS_PREFIX: redisPrefix, SMTP_URL: smtp.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^demo: REDIS_PREFIX=${redisPrefix} holds keys the demo did not put there.*\n$`),
      );
      expect(await redisKeys(redisPrefix)).toEqual([`${redisPrefix}:delivery:meta`]);
      expect(await databaseComment(name)).toBeUndefined();
    } finally {
      redis.disconnect();
      await deleteRedisKeys(redisPrefix);
      await query('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it('creates a missing database, marks it as its own, and says how to drop it', async () => {
    const name = `tidings_demo_test_${randomBytes(4).toString('hex')}`;
    const redisPrefix = prefix();
    try {
      const run = await runDemo({ DATABASE_URL: `${SERVER}/${name}`, REDIS_PREFIX: redisPrefix, SMTP_URL: smtp.url });
      expect(run.code).toBe(0);
      expect(await databaseComment(name)).toBe('created by npm run demo');
      expect(run.stdout).toContain(`The demo created database ${name}; when you are done with it: dropdb ${name}`);
    } finally {
      await query('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await deleteRedisKeys(redisPrefix);
    }
  });
});
