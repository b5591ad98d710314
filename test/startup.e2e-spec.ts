import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { migrations } from '../migrations/index.js';
import { projectRoot } from '../src/common/project-root.js';
import { createDatabaseIfMissing, runMigrationsLocked } from '../src/database/database-setup.js';
import { deleteRedisKeys, freePort } from './support/test-app.js';
import { TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';
import { buildApp } from './support/worker-process.js';

const root = projectRoot();
const main = path.join(root, 'dist/src/main.js');

/** Runs the built web entry with exactly these variables (plus PATH) and collects its output. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });
  const output = { stdout: '', stderr: '' };
  // Also passed on to the test's own streams, which the test environment shows if the test fails.
  child.stdout.on('data', (chunk) => {
    output.stdout += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output.stderr += chunk;
    process.stderr.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output, exited };
}

describe('starting the service', () => {
  beforeAll(async () => {
    await buildApp();
  }, 120_000);

  it.each([
    [{ PORT: 'eighty' }, 'configuration error: PORT="eighty": must be an integer number'],
    [{ REDIS_URL: 'http://redis.example' }, 'configuration error: REDIS_URL=(hidden): must be a redis:// URL'],
    [{ MAIL_TRANSPORT: 'smtp' }, 'configuration error: SMTP_URL=(unset): is required when MAIL_TRANSPORT=smtp'],
    [
      { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.com', PUBLIC_URL: 'https://news.example.com' },
      'configuration error: COMPANY_POSTAL_ADDRESS=(unset): is required in production: commercial email must carry a postal address (CAN-SPAM)',
    ],
  ])('stops on a bad configuration with one line naming the variable (%o)', async (env, line) => {
    const { output, exited } = start(env);
    expect(await exited).toBe(1);
    expect(output.stderr).toBe(`${line}\n`);
  });

  it('creates its database, applies the migrations and serves /health with nothing configured but the services', async () => {
    const name = `tidings_start_${randomBytes(4).toString('hex')}`;
    const prefix = `ts${randomBytes(4).toString('hex')}`;
    const port = String(await freePort());
    const { child, output, exited } = start({
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`,
      REDIS_PREFIX: prefix,
      PORT: port,
      HOST: '127.0.0.1',
      OUTBOX_DIR: 'test-artifacts/outbox',
    });
    try {
      const health = await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/health`);
          return response.ok ? response.json() : null;
        },
        { what: `health on ${port}; output: ${output.stdout}${output.stderr}` },
      );
      expect(health).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
      // Structured logs: every line is JSON.
      const lines = output.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(output.stdout).toContain(`created database ${name}`);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await deleteRedisKeys(prefix);
      const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    }
  });

  it('applies each migration once when several instances start together', async () => {
    const database = await TestDatabase.create();
    await database.drop();
    await createDatabaseIfMissing(database.url);
    try {
      await Promise.all([1, 2, 3].map(() => runMigrationsLocked(database.url)));
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('SELECT name FROM migrations ORDER BY id');
      await client.end();
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      await database.drop();
    }
  });
});
