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

/** Everything production requires, with placeholders that never get used for real. */
const PRODUCTION = {
  NODE_ENV: 'production',
  SMTP_URL: 'smtp://127.0.0.1:9',
  PUBLIC_URL: 'https://news.example.com',
  COMPANY_POSTAL_ADDRESS: '1 Main Street, Springfield',
  SUPPRESSION_KEY: 'k'.repeat(40),
  TOKEN_KEY: 't'.repeat(40),
  ALTCHA_HMAC_KEY: 'a'.repeat(40),
  METRICS_TOKEN: 'm'.repeat(40),
};

/** Starts the built entry on a fresh database and Redis prefix, runs `check`, then stops and cleans up. */
async function withRunningService(
  env: Record<string, string>,
  check: (url: string, output: { stdout: string }) => Promise<void>,
) {
  const name = `tidings_start_${randomBytes(4).toString('hex')}`;
  const prefix = `ts${randomBytes(4).toString('hex')}`;
  const port = String(await freePort());
  const { child, output, exited } = start({
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`,
    REDIS_PREFIX: prefix,
    PORT: port,
    HOST: '127.0.0.1',
    OUTBOX_DIR: 'test-artifacts/outbox',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        const response = await fetch(`${url}/health`).catch(() => null);
        return response?.status ?? null;
      },
      { what: `health on ${port}; output: ${output.stdout}${output.stderr}` },
    );
    await check(url, output);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await deleteRedisKeys(prefix);
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}

describe('starting the service', () => {
  beforeAll(async () => {
    await buildApp();
  }, 120_000);

  it('stops on each bad configuration with one line naming the variable', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: 'eighty' }, 'configuration error: PORT="eighty": must be an integer number'],
      [{ REDIS_URL: 'http://redis.example' }, 'configuration error: REDIS_URL=(hidden): must be a redis:// URL'],
      [{ MAIL_TRANSPORT: 'smtp' }, 'configuration error: SMTP_URL=(unset): is required when MAIL_TRANSPORT=smtp'],
      [
        { NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.com', PUBLIC_URL: 'https://news.example.com' },
        'configuration error: COMPANY_POSTAL_ADDRESS=(unset): is required in production: commercial email must carry a postal address (CAN-SPAM)',
      ],
      [
        { ...PRODUCTION, METRICS_TOKEN: '' },
        'configuration error: METRICS_TOKEN=(unset): is required in production: /metrics shows subscriber counts and send activity (at least 32 characters)',
      ],
      [{ DOCS_ENABLED: 'yes' }, 'configuration error: DOCS_ENABLED="yes": must be true or false'],
    ];
    // Started side by side: each is a whole Node start, and they share nothing.
    const runs = await Promise.all(
      cases.map(async ([env, line]) => {
        const { output, exited } = start(env);
        return { line, code: await exited, stderr: output.stderr };
      }),
    );
    for (const run of runs)
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: `${run.line}\n` });
  });

  it('creates its database, applies the migrations and serves /health with nothing configured but the services', async () => {
    await withRunningService({}, async (url, output) => {
      const health = await (await fetch(`${url}/health`)).json();
      expect(health).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
      // Structured logs: every line is JSON.
      const lines = output.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(output.stdout).toMatch(/created database tidings_start_/);
      expect(output.stdout).toContain("ADMIN_TOKENS is empty: /admin answers operators' personal tokens only");
      expect((await fetch(`${url}/docs-json`)).status).toBe(200);
    });
  });

  it('in production, keeps /metrics behind its token and the API pages off unless enabled', async () => {
    const token = 'a'.repeat(40);
    await withRunningService({ ...PRODUCTION, ADMIN_TOKENS: token }, async (url, output) => {
      expect((await fetch(`${url}/docs`)).status).toBe(404);
      expect((await fetch(`${url}/docs-json`)).status).toBe(404);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const scrape = await fetch(`${url}/metrics`, {
        headers: { authorization: `Bearer ${PRODUCTION.METRICS_TOKEN}` },
      });
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('tidings_subscribers');
      expect(output.stdout).not.toContain('ADMIN_TOKENS is empty');
      expect(output.stdout).toContain('ADMIN_TOKENS grants owner access under no name');
      expect(output.stdout).not.toContain(PRODUCTION.METRICS_TOKEN);
    });
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
