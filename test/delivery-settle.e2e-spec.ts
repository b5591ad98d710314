import { QueueName } from '../src/common/queue.constants.js';
import { DeliveryControlService } from '../src/delivery/delivery-control.service.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { waitForQueueDrained } from './support/queues.js';
import { type SmtpReply, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('a send paused while its deliveries wait to retry', () => {
  let reply: (address: string) => SmtpReply;
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ onRecipient: (address) => reply(address) });
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        DELIVERY_BACKOFF_MS: '300',
        DELIVERY_MAX_ATTEMPTS: '5',
        DELIVERY_CONCURRENCY: '10',
        DELIVERY_RATE_PER_SECOND: '100000',
        RECONCILE_INTERVAL_MS: '3600000',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** Fans out to the `prefix` subscribers only, every first attempt refused with a 451, then pauses once all are retrying. */
  async function pausedWhileRetrying(prefix: string): Promise<string> {
    await app.dataSource.query(`UPDATE subscribers SET status = 'unsubscribed' WHERE status = 'confirmed'`);
    await insertConfirmedSubscribers(app.dataSource, 20, prefix);
    reply = () => ({ code: 451, message: '4.7.1 Greylisted, please try again later' });
    const digestId = await insertApprovedDigest(app.dataSource, `Paused ${prefix}`);
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await deliveryCounts(app.dataSource, digestId)).retrying === 20, {
      what: '20 deliveries retrying',
    });
    await app.get(DeliveryControlService).pause(digestId);
    // The retries come due while paused: each job is taken, refused by the claim, and ends.
    await waitForQueueDrained(app, QueueName.Delivery);
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ retrying: 20 });
    return digestId;
  }

  it('cancelled after the retries came due, leaves no delivery queued, sending or retrying', async () => {
    const digestId = await pausedWhileRetrying('cancel');
    const cancelled = await app.get(DeliveryControlService).cancel(digestId);
    expect(cancelled.affected).toBe(20);
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ skipped: 20 });
    expect(await digestStatus(app.dataSource, digestId)).toBe('cancelled');
  }, 60_000);

  it('resumed after the retries came due, sends every copy once', async () => {
    const digestId = await pausedWhileRetrying('resume');
    reply = () => undefined;
    const resumed = await app.get(DeliveryControlService).resume(digestId);
    expect(resumed.affected).toBe(20);
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', { what: 'digest sent' });
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 20 });
    for (let n = 1; n <= 20; n++) expect(smtp.to(`resume${String(n).padStart(5, '0')}@example.com`)).toHaveLength(1);
  }, 60_000);
});

describe('a retry behind a long queue', () => {
  const attempts: Array<{ address: string; bulkReceived: number }> = [];
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start({
      onRecipient: (address) => {
        attempts.push({ address, bulkReceived: smtp.received.length });
        const first = attempts.filter((a) => a.address === address).length === 1;
        return address === 'first@example.com' && first ? { code: 451, message: '4.3.2 Try again later' } : undefined;
      },
    });
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        DELIVERY_BACKOFF_MS: '1000',
        DELIVERY_CONCURRENCY: '5',
        // Slow enough that the 5,000 other sends are still waiting when the retry comes due.
        DELIVERY_RATE_PER_SECOND: '200',
        RECONCILE_INTERVAL_MS: '3600000',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('is attempted when its backoff ends, ahead of the 5,000 first attempts still waiting', async () => {
    // The smallest id: its delivery is created, and its job queued, before the 5,000 others.
    await app.dataSource.query(
      `INSERT INTO subscribers (id, email, status, confirmed_at)
       VALUES ('00000000-0000-0000-0000-000000000001', 'first@example.com', 'confirmed', now())`,
    );
    await insertConfirmedSubscribers(app.dataSource, 5_000, 'bulk');
    const digestId = await insertApprovedDigest(app.dataSource, 'Long queue');
    await app.get(FanOutService).fanOut(digestId);
    const retry = await waitFor(() => attempts.filter((a) => a.address === 'first@example.com')[1], {
      timeoutMs: 60_000,
      what: 'the second attempt to first@example.com',
    });
    // Attempted at the rate of 200 a second, its 1 s backoff lets a few hundred go first, not the 5,000.
    expect(retry.bulkReceived).toBeLessThan(2_500);
    await app.get(DeliveryControlService).cancel(digestId);
  }, 120_000);
});
