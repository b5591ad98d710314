import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { ConfigError, loadConfig } from '../src/config/load-config.js';
import { WORKER_ROLE } from '../src/config/process-role.js';
import { Digest } from '../src/digests/digest.entity.js';
import { DigestStatus } from '../src/digests/digest-status.js';
import { weekEndingAt } from '../src/digests/digest-period.js';
import { WeeklyDigestService } from '../src/digests/weekly-digest.service.js';
import { prepareDemoDatabase } from './demo-database.js';
import { checkRedisPrefix, resetRedisPrefix } from './demo-redis.js';
import { DemoRefusal } from './demo-refusal.js';
import { serveSampleFeed } from './sample-feed-server.js';

/**
 * `npm run demo`: the sample feed of the company's blog, three confirmed subscribers, and this
 * week's digest composed, released and delivered to them by the real delivery workers (through
 * SMTP_URL, e.g. Mailpit, or into the outbox folder).
 *
 * Like every entry point it uses DATABASE_URL and REDIS_PREFIX, defaulting here to a
 * `tidings_demo` database and a `tidings-demo` prefix. It never drops a database: see
 * demo-database.ts and demo-redis.ts for what it creates, clears and refuses.
 */
const DEMO_SUBSCRIBERS = [
  { email: 'dana.reader@example.com', name: 'Dana Reader' },
  { email: 'lee.case-manager@example.org', name: 'Lee Case' },
  { email: 'sam.cfo@example.net', name: null },
];
const DEMO_DEFAULTS = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tidings_demo', REDIS_PREFIX: 'tidings-demo' };

async function main(source: Record<string, string | undefined>): Promise<void> {
  const feed = await serveSampleFeed();
  try {
    const config = loadConfig({
      ...source,
      // Unset or empty (the config treats both alike) falls back to the demo's own, not the app's.
      DATABASE_URL: source.DATABASE_URL || DEMO_DEFAULTS.DATABASE_URL,
      REDIS_PREFIX: source.REDIS_PREFIX || DEMO_DEFAULTS.REDIS_PREFIX,
      NODE_ENV: 'development',
      FEED_URLS: feed.url,
      // The sample feed is served on loopback, which production refuses to read.
      FEED_ALLOW_PRIVATE: 'true',
      DIGEST_APPROVAL: 'auto',
      LOG_FORMAT: 'text',
    });
    // Both stores are checked before either is changed.
    await checkRedisPrefix(config.redis.url, config.redis.prefix);
    const database = await prepareDemoDatabase(
      config.database.url,
      DEMO_SUBSCRIBERS.map((s) => s.email),
    );
    await resetRedisPrefix(config.redis.url, config.redis.prefix);

    const app = await NestFactory.createApplicationContext(AppModule.register(config, WORKER_ROLE), {
      logger: ['error', 'warn'],
    });
    try {
      const dataSource = app.get(DataSource);
      for (const subscriber of DEMO_SUBSCRIBERS) {
        await dataSource.query(
          `INSERT INTO subscribers (email, name, status, confirmed_at) VALUES ($1, $2, 'confirmed', now())`,
          [subscriber.email, subscriber.name],
        );
      }

      // The week ending now, so the sample posts (dated in the last days) are in it.
      const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      const { digest: composed } = await app.get(WeeklyDigestService).run(weekEndingAt(end, config.digest.timeZone));
      // Released digests go to the delivery's fan-out and send queues, worked by this process.
      const digest = await waitUntilSent(dataSource, composed.id);
      const [{ sent }] = await dataSource.query<Array<{ sent: number }>>(
        `SELECT count(*)::int AS sent FROM deliveries WHERE digest_id = $1 AND status = 'sent'`,
        [digest.id],
      );

      const where =
        config.mail.transport === 'smtp'
          ? `your SMTP server (${new URL(config.mail.smtp.url!).host}); with Mailpit, open http://localhost:8025`
          : `the outbox folder: ${path.resolve(config.mail.outbox.dir)} (open the newest .eml files with any mail client)`;
      const env = `DATABASE_URL=${redact(config.database.url)} REDIS_PREFIX=${config.redis.prefix}`;
      process.stdout.write(
        [
          '',
          `Digest ${digest.id}: ${digest.status}, ${digest.postCount} posts`,
          `  Subject: ${digest.subject}`,
          `  ${sent} copies mailed to ${DEMO_SUBSCRIBERS.map((s) => s.email).join(', ')}`,
          `  Look in ${where}.`,
          `  Web archive: start the app on the demo's database, then open ${config.url(`/archive/${digest.id}`)}`,
          `    ${env} npm start`,
          database.createdByDemo
            ? `  The demo created database ${database.name}; when you are done with it: dropdb ${database.name}`
            : `  The demo's rows stay in database ${database.name}, which it did not create and leaves in place.`,
          '',
        ].join('\n'),
      );
    } finally {
      await app.close();
    }
  } finally {
    feed.close();
  }
}

async function waitUntilSent(dataSource: DataSource, id: string): Promise<Digest> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const digest = await dataSource.getRepository(Digest).findOneByOrFail({ id });
    if (digest.status !== DigestStatus.Approved && digest.status !== DigestStatus.Sending) return digest;
    if (Date.now() > deadline)
      throw new Error(`digest ${id} is still ${digest.status} after a minute; is the SMTP server reachable?`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

main(process.env).catch((error: unknown) => {
  // A refusal or a bad variable is one line; anything else is a bug worth its stack.
  if (error instanceof ConfigError) process.stderr.write(`demo: configuration error: ${error.message}\n`);
  else if (error instanceof DemoRefusal) process.stderr.write(`demo: ${error.message}\n`);
  else process.stderr.write(`demo failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
