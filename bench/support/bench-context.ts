import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import type { ProcessRole } from '../../src/config/process-role.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createDatabaseIfMissing, runMigrationsLocked } from '../../src/database/database-setup.js';
import { DigestRenderer } from '../../src/digests/digest-renderer.js';

export const SERVER = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh database with the real migrations, and a Redis prefix of its own. */
export async function benchDatabase(): Promise<{ url: string; prefix: string; drop: () => Promise<void> }> {
  const name = `tidings_bench_${randomBytes(4).toString('hex')}`;
  const url = `${SERVER}/${name}`;
  await createDatabaseIfMissing(url);
  await runMigrationsLocked(url);
  return {
    url,
    prefix: `tb${randomBytes(4).toString('hex')}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: `${SERVER}/postgres` });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export function benchConfig(database: { url: string; prefix: string }, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_PREFIX: database.prefix,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'text',
    OUTBOX_DIR: 'bench/outbox',
    ...env,
  });
}

export async function bootContext(
  config: AppConfig,
  role: Partial<ProcessRole> = {},
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(
    AppModule.register(config, { workers: false, schedulers: false, ...role }),
    { logger: ['error', 'warn'] },
  );
}

export async function insertSubscribers(dataSource: DataSource, count: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO subscribers (email, status, confirmed_at)
     SELECT 'subscriber' || n || '@example.com', 'confirmed', now()
     FROM generate_series(1, $1) AS n`,
    [count],
  );
  await dataSource.query('ANALYZE subscribers');
}

const TOPICS = [
  'Prior authorization reform: what changes for providers in 2027',
  'Utilization review staffing: building a sustainable physician advisor team',
  'NCQA accreditation: the five findings we see most often',
  'Managed care contracts: reading the fine print on value-based terms',
  'Peer review turnaround: how to cut days without cutting quality',
  'Behavioral health parity: preparing for the next round of audits',
  'Denial management: turning appeals data into prevention',
  'Strategic planning for rural hospitals facing margin pressure',
  'How patients and providers use social media',
  'Healthcare financial analysis: metrics boards actually need',
];

/** An approved digest of ten realistic posts, rendered by the real renderer (about 50 KB of HTML). */
let weeksBack = 0;

export async function insertRenderedDigest(app: INestApplicationContext): Promise<{ id: string; htmlBytes: number }> {
  const dataSource = app.get(DataSource);
  const [{ id }] = await dataSource.query<[{ id: string }]>('SELECT gen_random_uuid() AS id');
  // One period per digest: the period is unique.
  const end = new Date(Date.UTC(2026, 10, 23, 13) - 7 * 86400_000 * weeksBack++);
  const start = new Date(end.getTime() - 7 * 86400_000);
  const posts = TOPICS.map((title, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    url: `https://www.bhmpc.com/2026/11/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`,
    title,
    summary:
      `${title}. BHM's consultants walk through the regulatory background, the operational impact on utilization management and payer relations, and the practical steps health plans, hospitals and provider groups can take this quarter to stay compliant while improving care. `.slice(
        0,
        320,
      ),
    imageUrl: `https://www.bhmpc.com/wp-content/uploads/2026/11/post-${i}.jpg`,
    author: 'BHM Healthcare Solutions',
    publishedAt: new Date(end.getTime() - (i + 1) * 12 * 3600_000),
  }));
  const rendered = await app.get(DigestRenderer).render({ id, period: { start, end }, posts, moreCount: 3 });
  await dataSource.query(
    `INSERT INTO digests (id, period_start, period_end, status, subject, preheader, html, text, post_count, more_count, approved_at)
     VALUES ($1, $2, $3, 'approved', $4, $5, $6, $7, 10, 3, now())`,
    [id, start, end, rendered.subject, rendered.preheader, rendered.html, rendered.text],
  );
  return { id, htmlBytes: Buffer.byteLength(rendered.html) };
}

/** The one line a scenario prints for the runner. */
export function report(result: object): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
