import autocannon from 'autocannon';
import { DataSource } from 'typeorm';
import { FanOutService } from '../../src/delivery/fan-out.service.js';
import {
  benchConfig,
  benchDatabase,
  bootContext,
  insertRenderedDigest,
  insertSubscribers,
  REDIS_URL,
  report,
} from '../support/bench-context.js';
import { Child, dist, startWeb } from '../support/processes.js';
import { startSink } from '../support/sinks.js';

/**
 * GET /admin/digests/:id (counts, progress, rate, time left) for a digest of 100,000 deliveries
 * while it is being sent by a worker process, measured with autocannon for 15 s at 100 requests
 * per second. A second argument puts that many earlier weeks of sent deliveries (one per
 * subscriber each) in the table first: `status 1000000 10` is issue 15's 10 million rows.
 */
const subscribers = Number(process.argv[2] ?? 100_000);
const historyWeeks = Number(process.argv[3] ?? 0);
const token = 'bench-admin-token-'.padEnd(48, 'x');
const database = await benchDatabase();
const { sink, port } = await startSink();
const smtp = `smtp://127.0.0.1:${port}`;
const app = await bootContext(benchConfig(database, { SMTP_URL: smtp }));
const env = {
  DATABASE_URL: database.url,
  REDIS_URL,
  REDIS_PREFIX: database.prefix,
  SMTP_URL: smtp,
  ADMIN_TOKENS: token,
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'text',
  DATABASE_CREATE: 'false',
  MIGRATIONS_RUN: 'false',
};
const { web, url } = await startWeb({ ...env, RUN_WORKERS: 'false' });
// A steady send in the background, slow enough to still be going when the load ends.
const worker = Child.start(dist('src/worker.js'), { ...env, DELIVERY_RATE_PER_SECOND: '200', LOG_LEVEL: 'log' });
try {
  await worker.line(/Tidings worker started/);
  const dataSource = app.get(DataSource);
  await insertSubscribers(dataSource, subscribers);
  for (let week = 0; week < historyWeeks; week++) {
    const earlier = await insertRenderedDigest(app);
    await dataSource.query(
      `UPDATE digests SET status = 'sending', sending_at = now(), fanned_out_at = now() WHERE id = $1`,
      [earlier.id],
    );
    await dataSource.query(
      `INSERT INTO deliveries (digest_id, subscriber_id, status, attempts, message_id, started_at, finished_at)
       SELECT $1, id, 'sent', 1, md5(id::text) || '.digest@bhmpc.com', now(), now() FROM subscribers`,
      [earlier.id],
    );
    await dataSource.query(`UPDATE digests SET status = 'sent', sent_at = now() WHERE id = $1`, [earlier.id]);
  }
  if (historyWeeks) await dataSource.query('ANALYZE deliveries');
  const [{ rows }] = await dataSource.query<[{ rows: number }]>('SELECT count(*)::int AS rows FROM deliveries');
  const digest = await insertRenderedDigest(app);
  await app.get(FanOutService).fanOut(digest.id);
  // A fixed rate, as dashboards poll: the latency is the request's own cost, not a queue the load generator built.
  const result = await autocannon({
    url: `${url}/admin/digests/${digest.id}`,
    connections: 4,
    overallRate: 100,
    duration: 15,
    headers: { authorization: `Bearer ${token}` },
  });
  const [{ status }] = await app
    .get(DataSource)
    .query<Array<{ status: string }>>('SELECT status FROM digests WHERE id = $1', [digest.id]);
  report({
    deliveries: subscribers,
    rowsBefore: rows,
    digestStatusAfter: status,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  });
} finally {
  await worker.stop();
  await web.stop();
  await app.close();
  await sink.stop();
  await database.drop();
}
