import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QueueName } from '../src/common/queue.constants.js';
import { BATCH_SIZE, batchJobId } from '../src/delivery/delivery-job.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { deleteRedisKeys, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';
import { buildApp, startWorkerProcess } from './support/worker-process.js';

const SUBSCRIBERS = 1000;

/** Every subscriber got at least one copy; returns how many copies were extra. */
function duplicatesAfterCheckingEveryone(smtp: SmtpSink): number {
  const copies = new Map<string, number>();
  for (const mail of smtp.received) copies.set(mail.envelopeTo[0], (copies.get(mail.envelopeTo[0]) ?? 0) + 1);
  expect(copies.size).toBe(SUBSCRIBERS);
  for (let n = 1; n <= SUBSCRIBERS; n++)
    expect(copies.get(`subscriber${String(n).padStart(5, '0')}@example.com`)).toBeGreaterThanOrEqual(1);
  return smtp.received.length - SUBSCRIBERS;
}

/** The digest's full 100-id blocks that are part sent and part still to send. */
async function blocksMidway(dataSource: DataSource, digestId: string): Promise<string[]> {
  const rows = await dataSource.query<Array<{ first: string }>>(
    `SELECT (id / $2) * $2 AS first FROM deliveries WHERE digest_id = $1 GROUP BY 1
     HAVING count(*) = $2 AND count(*) FILTER (WHERE status = 'sent') > 0
        AND count(*) FILTER (WHERE status IN ('queued', 'sending')) > 0`,
    [digestId, BATCH_SIZE],
  );
  return rows.map((row) => String(row.first));
}

describe('delivery survives failures', () => {
  let smtp: SmtpSink;

  beforeAll(async () => {
    await buildApp();
  }, 120_000);

  beforeEach(async () => {
    smtp = await SmtpSink.start();
  });

  afterEach(async () => {
    await smtp.close();
  });

  it('finishes after a worker process holding a 100-delivery batch is killed with SIGKILL in the middle of it', async () => {
    const concurrency = 10;
    // The web app only fans out and reconciles; the sending happens in separate worker processes.
    const app = await TestApp.start({
      env: { SMTP_URL: smtp.url, RECONCILE_INTERVAL_MS: '500' },
      role: { workers: false, schedulers: true },
    });
    const workerEnv = {
      DATABASE_URL: app.config.database.url,
      REDIS_PREFIX: app.config.redis.prefix,
      SMTP_URL: smtp.url,
      DELIVERY_CONCURRENCY: String(concurrency),
      DELIVERY_RATE_PER_SECOND: '200',
      DELIVERY_LOCK_MS: '2000',
    };
    try {
      await insertConfirmedSubscribers(app.dataSource, SUBSCRIBERS);
      const digestId = await insertApprovedDigest(app.dataSource);
      await app.get(FanOutService).fanOut(digestId);

      const first = startWorkerProcess(workerEnv);
      await waitFor(async () => ((await deliveryCounts(app.dataSource, digestId)).sent ?? 0) >= 250, {
        timeoutMs: 60_000,
        what: `250 sent; worker said: ${first.output()}`,
      });
      first.child.kill('SIGKILL');
      await first.exited;
      const inFlight = (await deliveryCounts(app.dataSource, digestId)).sending ?? 0;
      const receivedAtKill = smtp.received.length;
      // The dead worker still holds (in Redis) the batch of a full block it had only part sent.
      const midway = await blocksMidway(app.dataSource, digestId);
      const queue = app.app.get<Queue>(getQueueToken(QueueName.Delivery));
      const states = await Promise.all(midway.map((first) => queue.getJobState(batchJobId(digestId, first))));
      expect(states).toContain('active');

      const second = startWorkerProcess(workerEnv);
      try {
        await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
          timeoutMs: 90_000,
          what: `the digest to be sent; worker said: ${second.output()}`,
        });
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: SUBSCRIBERS });
      const duplicates = duplicatesAfterCheckingEveryone(smtp);
      console.log(
        `SIGKILL mid-batch: ${receivedAtKill} mails before the kill, ${midway.length} full batches part sent, ${inFlight} deliveries in flight at the kill, ${duplicates} duplicate copies in all`,
      );
      expect(duplicates).toBeLessThanOrEqual(inFlight);
      expect(inFlight).toBeLessThanOrEqual(concurrency);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('finishes, skipping no subscriber, after Redis loses all its data in the middle of a send', async () => {
    const app = await TestApp.start({
      // Slow enough that most of the list is still unsent while the keys are being deleted.
      env: {
        SMTP_URL: smtp.url,
        RECONCILE_INTERVAL_MS: '500',
        DELIVERY_RATE_PER_SECOND: '100',
        DELIVERY_CONCURRENCY: '10',
        DELIVERY_LOCK_MS: '2000',
      },
      role: { workers: true, schedulers: true },
    });
    try {
      await insertConfirmedSubscribers(app.dataSource, SUBSCRIBERS);
      const digestId = await insertApprovedDigest(app.dataSource);
      await app.get(FanOutService).fanOut(digestId);
      await waitFor(async () => ((await deliveryCounts(app.dataSource, digestId)).sent ?? 0) >= 200, {
        what: '200 sent',
      });
      // What a Redis without persistence looks like after a restart: every key of ours gone.
      await deleteRedisKeys(app.config.redis.prefix);
      const sentAtFlush = (await deliveryCounts(app.dataSource, digestId)).sent;
      expect(sentAtFlush).toBeLessThan(SUBSCRIBERS);

      await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
        timeoutMs: 90_000,
        what: 'the digest to be sent',
      });
      expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: SUBSCRIBERS });
      const duplicates = duplicatesAfterCheckingEveryone(smtp);
      console.log(`Redis flushed after ${sentAtFlush} sends: ${duplicates} duplicate copies in all`);
      expect(duplicates).toBeLessThanOrEqual(10);
    } finally {
      await app.close();
    }
  }, 180_000);
});
