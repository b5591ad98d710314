import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { DeliveryReconciler } from '../src/delivery/delivery-reconciler.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { freePort, TestApp } from './support/test-app.js';
import { TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'o'.repeat(40);
/** What the issue asks of every request while a dependency is down: an answer within 2 s. */
const BOUND_MS = 2_000;

/** A Redis of the test's own, on a free port, keeping nothing on disk, so stopping it loses every job. */
class OwnRedis {
  private process?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server unless it is running: a second one on the same port would fail, and the first be lost track of. */
  async restart(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) return;
    this.process = spawn(
      '/usr/bin/redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } finally {
          client.disconnect();
        }
      },
      { what: 'redis-server to answer' },
    );
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }
}

describe('while Redis is down', () => {
  let redis: OwnRedis;
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: {
        REDIS_URL: redis.url,
        SMTP_URL: smtp.url,
        ADMIN_TOKENS: TOKEN,
        DELIVERY_BACKOFF_MS: '200',
        DELIVERY_CONCURRENCY: '5',
        DELIVERY_RATE_PER_SECOND: '100',
        RECONCILE_INTERVAL_MS: '3600000',
      },
    });
  });

  afterAll(async () => {
    await redis?.restart().catch(() => undefined);
    await app?.close();
    await smtp?.close();
    await redis?.stop();
  });

  it('answers within 2 s with 503 or partial data, sends no refused confirmation later, and finishes the send once it is back', async () => {
    await insertConfirmedSubscribers(app.dataSource, 300, 'outage');
    const digestId = await insertApprovedDigest(app.dataSource, 'Through a Redis outage');
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => ((await deliveryCounts(app.dataSource, digestId)).sent ?? 0) >= 20, {
      what: '20 sent',
    });
    await redis.stop();
    const admin = (path: string) => ({ Authorization: `Bearer ${TOKEN}`, path });

    const refused = await request(app.http)
      .post('/subscribe')
      .timeout(BOUND_MS)
      .type('form')
      .set('Accept', 'text/html')
      .send({ email: 'refused@example.com', consent: 'yes' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.text).toMatch(/could not take your subscription right now/);

    const metrics = await request(app.http).get('/metrics').timeout(BOUND_MS).expect(200);
    expect(metrics.text).toMatch(/tidings_subscribers\{status="confirmed"\} 300/);

    const queues = await request(app.http)
      .get('/admin/queues')
      .timeout(BOUND_MS)
      .set('Authorization', admin('').Authorization);
    expect(queues.status).toBe(503);
    expect(queues.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/Redis/) });

    await request(app.http)
      .post(`/admin/digests/${digestId}/pause`)
      .timeout(BOUND_MS)
      .set('Authorization', admin('').Authorization)
      .expect(200);
    const resume = await request(app.http)
      .post(`/admin/digests/${digestId}/resume`)
      .timeout(BOUND_MS)
      .set('Authorization', admin('').Authorization);
    expect(resume.status).toBe(503);

    const health = await request(app.http).get('/health').timeout(BOUND_MS).expect(503);
    expect(health.body).toMatchObject({ status: 'error', database: 'up', redis: 'down' });

    // Back, empty: every job was lost with it.
    await redis.restart();
    await waitFor(async () => (await request(app.http).get('/health')).status === 200, {
      timeoutMs: 30_000,
      what: '/health to be 200 again',
    });
    // The refused resume changed nothing: the digest is still paused, and resumes now.
    await request(app.http)
      .post(`/admin/digests/${digestId}/resume`)
      .set('Authorization', admin('').Authorization)
      .expect(200);
    const reconciler = app.get(DeliveryReconciler);
    await waitFor(
      async () => {
        await reconciler.reconcile();
        return (await digestStatus(app.dataSource, digestId)) === 'sent';
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'the digest to be sent after Redis came back' },
    );
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 300 });
    const addresses = new Set(smtp.received.map((mail) => mail.envelopeTo[0]));
    expect(addresses.size).toBe(300);

    await waitForQueueDrained(app, QueueName.TransactionalMail);
    expect(smtp.to('refused@example.com')).toHaveLength(0);
    expect(await app.dataSource.query(`SELECT 1 FROM subscribers WHERE email = 'refused@example.com'`)).toHaveLength(0);
  }, 150_000);
});

/** A TCP relay to PostgreSQL that the test can take away: then nothing listens on its port. */
async function relayTo(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe('while PostgreSQL is unreachable', () => {
  let database: TestDatabase;
  let relay: Awaited<ReturnType<typeof relayTo>>;
  let app: TestApp;

  beforeAll(async () => {
    database = await TestDatabase.create();
    relay = await relayTo(Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.port = String(relay.port);
    app = await TestApp.start({
      database,
      env: { DATABASE_URL: url.toString(), ADMIN_TOKENS: TOKEN },
      role: { workers: false },
    });
    await relay.close();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('gives subscribers a 503 page and API clients the error shape, with Retry-After', async () => {
    const page = await request(app.http)
      .post('/subscribe')
      .timeout(BOUND_MS * 2)
      .type('form')
      .set('Accept', 'text/html')
      .send({ email: 'later@example.com', consent: 'yes' });
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('60');
    expect(page.text).toMatch(/could not take your subscription right now/);

    const archive = await request(app.http).get('/archive').set('Accept', 'text/html');
    expect(archive.status).toBe(503);
    expect(archive.text).toMatch(/try again in a minute/);

    const unsubscribe = await request(app.http)
      .post(`/unsubscribe/${'u'.repeat(43)}/one-click`)
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(unsubscribe.status).toBe(503);

    const api = await request(app.http).get('/admin/digests').set('Authorization', `Bearer ${TOKEN}`);
    expect(api.status).toBe(503);
    expect(api.headers['retry-after']).toBe('60');
    expect(api.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the database is unavailable; try again in 60 s',
    });
  });

  it('names the failing part in /health', async () => {
    const health = await request(app.http).get('/health').expect(503);
    expect(health.body).toMatchObject({ status: 'error', database: 'down', redis: 'up' });
  });
});
