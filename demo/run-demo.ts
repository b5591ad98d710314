import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { projectRoot } from '../src/common/project-root.js';
import { newSecretToken } from '../src/common/secret-token.js';
import { loadConfig } from '../src/config/load-config.js';
import { Digest } from '../src/digests/digest.entity.js';
import { DigestStatus } from '../src/digests/digest-status.js';
import { weekEndingAt } from '../src/digests/digest-period.js';
import { WeeklyDigestService } from '../src/digests/weekly-digest.service.js';
import { createDatabaseIfMissing, runMigrationsLocked } from '../src/database/database-setup.js';

/**
 * `npm run demo`: a fresh database, the sample feed of the company's blog, three confirmed
 * readers, and this week's digest composed, released and delivered to them by the real delivery
 * workers (through SMTP_URL, e.g. Mailpit, or into the outbox folder). It owns its database,
 * `tidings_demo` unless DEMO_DATABASE_URL names another, and its Redis prefix `tidings-demo`,
 * and empties both first: never point it at real data.
 */
const DEMO_READERS = [
  { email: 'dana.reader@example.com', name: 'Dana Reader' },
  { email: 'lee.case-manager@example.org', name: 'Lee Case' },
  { email: 'sam.cfo@example.net', name: null },
];

async function main(): Promise<void> {
  const env = process.env;
  const databaseUrl = env.DEMO_DATABASE_URL ?? withDatabase(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings', 'tidings_demo');
  const feed = await serveSampleFeed();
  await recreateDatabase(databaseUrl);
  await runMigrationsLocked(databaseUrl);
  const redisPrefix = env.DEMO_REDIS_PREFIX ?? 'tidings-demo';
  await deleteRedisKeys(env.REDIS_URL ?? 'redis://127.0.0.1:6379', redisPrefix);

  const config = loadConfig({
    ...env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: redisPrefix,
    FEED_URLS: feed.url,
    DIGEST_APPROVAL: 'auto',
    LOG_FORMAT: 'text',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(config, { workers: true, schedulers: false }), { logger: ['error', 'warn'] });
  try {
    const dataSource = app.get(DataSource);
    for (const reader of DEMO_READERS) {
      await dataSource.query(
        `INSERT INTO subscribers (email, name, status, confirmed_at, unsubscribe_token) VALUES ($1, $2, 'confirmed', now(), $3)`,
        [reader.email, reader.name, newSecretToken()],
      );
    }

    // The week ending now, so the sample posts (dated in the last days) are in it.
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const { digest: composed } = await app.get(WeeklyDigestService).run(weekEndingAt(end, config.digest.timeZone));
    // Released digests go to the delivery's fan-out and send queues, worked by this process.
    const digest = await waitUntilSent(dataSource, composed.id);
    const [{ sent }] = await dataSource.query<[{ sent: number }]>(`SELECT count(*)::int AS sent FROM deliveries WHERE digest_id = $1 AND status = 'sent'`, [digest.id]);

    const where = config.mail.smtpUrl
      ? `your SMTP server (${new URL(config.mail.smtpUrl).host}); with Mailpit, open http://localhost:8025`
      : `the outbox folder: ${path.resolve(config.mail.outboxDir)} (open the newest .eml files with any mail client)`;
    process.stdout.write(
      [
        '',
        `Digest ${digest.id}: ${digest.status}, ${digest.postCount} posts`,
        `  Subject: ${digest.subject}`,
        `  ${sent} copies mailed to ${DEMO_READERS.map((r) => r.email).join(', ')}`,
        `  Look in ${where}.`,
        `  Web archive: start the app on the demo database, then open ${config.url(`/archive/${digest.id}`)}`,
        `    DATABASE_URL=${redact(databaseUrl)} npm start`,
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
    feed.close();
  }
}

/** The sample feed on a loopback port, every date moved so that the newest post is six hours old. */
async function serveSampleFeed(): Promise<{ url: string; close: () => void }> {
  const source = readFileSync(path.join(projectRoot(), 'demo', 'sample-feed.xml'), 'utf8');
  const dates = [...source.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((match) => Date.parse(match[1]));
  const shift = Date.now() - 6 * 3_600_000 - Math.max(...dates);
  const body = source.replace(/<pubDate>([^<]+)<\/pubDate>/g, (_, date: string) => `<pubDate>${new Date(Date.parse(date) + shift).toUTCString()}</pubDate>`);
  const server = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed/`, close: () => server.close() };
}

async function waitUntilSent(dataSource: DataSource, id: string): Promise<Digest> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const digest = await dataSource.getRepository(Digest).findOneByOrFail({ id });
    if (digest.status !== DigestStatus.Approved && digest.status !== DigestStatus.Sending) return digest;
    if (Date.now() > deadline) throw new Error(`digest ${id} is still ${digest.status} after a minute; is the SMTP server reachable?`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = withDatabase(url, 'postgres');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await createDatabaseIfMissing(url);
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
