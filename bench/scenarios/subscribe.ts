import autocannon from 'autocannon';
import pg from 'pg';
import { benchDatabase, REDIS_URL, report } from '../support/bench-context.js';
import { startWeb } from '../support/processes.js';
import { startSink } from '../support/sinks.js';

/**
 * POST /subscribe under load for 30 s, every request a new address, against the real web
 * process, which queues a confirmation mail for each (the queue's workers run elsewhere).
 */
const seconds = Number(process.argv[2] ?? 30);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const database = await benchDatabase();
const { sink, port } = await startSink();
const { web, url } = await startWeb({
  DATABASE_URL: database.url,
  REDIS_URL,
  REDIS_PREFIX: database.prefix,
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  SUBSCRIBE_LIMIT_PER_IP_PER_MINUTE: '10000000',
  SUBSCRIBE_LIMIT_UNSOLVED_PER_IP_PER_HOUR: '10000000',
  // As docker-compose runs it: the web process answers, a worker process sends.
  RUN_WORKERS: process.env.BENCH_WEB_WORKERS ?? 'false',
});
try {
  let n = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/subscribe',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ email: `load${n++}@example.com`, consent: true, name: 'Load Test' }),
        }),
      },
    ],
  });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query<{ subscribers: number; tokens: number }>(
    `SELECT (SELECT count(*) FROM subscribers)::int AS subscribers, (SELECT count(*) FROM confirmation_tokens)::int AS tokens`,
  );
  await client.end();
  report({
    seconds,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    subscribersCreated: rows[0].subscribers,
    confirmationsQueued: rows[0].tokens,
  });
} finally {
  await web.stop();
  await sink.stop();
  await database.drop();
}
