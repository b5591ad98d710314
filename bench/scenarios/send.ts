import { DataSource } from 'typeorm';
import { FanOutService } from '../../src/delivery/fan-out.service.js';
import {
  benchConfig,
  benchDatabase,
  bootContext,
  insertRenderedDigest,
  insertSubscribers,
  report,
} from '../support/bench-context.js';
import { Child, dist } from '../support/processes.js';
import { startSink } from '../support/sinks.js';

/**
 * A 10-post digest to N subscribers through the real worker process (`dist/src/worker.js`): delivery
 * rows updated, headers, per-subscriber links, into a sink that does no work. Messages per second
 * from the release to the last delivery recorded; worker memory sampled from /proc.
 */
const subscribers = Number(process.argv[2] ?? 20_000);
const concurrency = process.env.BENCH_CONCURRENCY ?? '20';
/** As `npm run start:worker:prod` starts a worker. */
const WORKER_NODE_ARGS = '--max-semi-space-size=4 --max-old-space-size=160';
const database = await benchDatabase();
const { sink, port, kind } = await startSink();
const smtp = `smtp://127.0.0.1:${port}`;
const app = await bootContext(benchConfig(database, { SMTP_URL: smtp }));
const dataSource = app.get(DataSource);
/** `BENCH_WORKERS` worker processes share the send (scale-out); the memory figures are the first one's. */
const workerCount = Number(process.env.BENCH_WORKERS ?? 1);
const startWorker = () =>
  Child.start(
    dist('src/worker.js'),
    {
      DATABASE_URL: database.url,
      REDIS_PREFIX: database.prefix,
      SMTP_URL: smtp,
      SMTP_POOL_SIZE: process.env.BENCH_POOL ?? '8',
      DELIVERY_CONCURRENCY: concurrency,
      DELIVERY_RATE_PER_SECOND: '100000',
      LOG_LEVEL: 'log',
      LOG_FORMAT: 'text',
      DATABASE_CREATE: 'false',
      MIGRATIONS_RUN: 'false',
    },
    (process.env.BENCH_WORKER_NODE_ARGS ?? WORKER_NODE_ARGS).split(' ').filter(Boolean),
  );
const workers = Array.from({ length: workerCount }, startWorker);
const [worker] = workers;
try {
  for (const each of workers) await each.line(/Tidings worker started/);
  await insertSubscribers(dataSource, subscribers);
  const digest = await insertRenderedDigest(app);
  let peakRss = worker.rssMb();
  const startRss = peakRss;
  const started = performance.now();
  await app.get(FanOutService).fanOut(digest.id);
  // The worker's peak memory so far, noted as each quarter of the list is sent: flat means the
  // later quarters add nothing.
  const quarters: number[] = [];
  for (;;) {
    peakRss = Math.max(peakRss, worker.rssMb());
    const [{ status, done }] = await dataSource.query<[{ status: string; done: number }]>(
      `SELECT g.status, coalesce((SELECT count FROM digest_delivery_counts WHERE digest_id = g.id AND status = 'sent'), 0)::int AS done FROM digests g WHERE g.id = $1`,
      [digest.id],
    );
    while (quarters.length < 4 && done >= ((quarters.length + 1) * subscribers) / 4) quarters.push(Math.round(peakRss));
    if (status === 'sent') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const [{ sent }] = await dataSource.query<Array<{ sent: number }>>(
    `SELECT count(*)::int AS sent FROM deliveries WHERE digest_id = $1 AND status = 'sent'`,
    [digest.id],
  );
  if (sent !== subscribers) throw new Error(`sent ${sent} of ${subscribers}`);
  report({
    subscribers,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(subscribers / seconds),
    workerStartRssMb: Math.round(startRss),
    workerPeakRssMb: Math.round(peakRss),
    workerPeakByQuarterMb: quarters.join(' / '),
    htmlBytes: digest.htmlBytes,
    concurrency: Number(concurrency),
    workers: workerCount,
    sink: kind,
  });
} finally {
  for (const each of workers) await each.stop();
  await app.close();
  await sink.stop();
  await database.drop();
}
