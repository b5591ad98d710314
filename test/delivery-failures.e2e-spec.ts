import request from 'supertest';
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
import { linkTokenOf } from './support/links.js';
import { type SmtpReply, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const fast = {
  DELIVERY_BACKOFF_MS: '20',
  DELIVERY_MAX_ATTEMPTS: '4',
  DELIVERY_CONCURRENCY: '10',
  DELIVERY_RATE_PER_SECOND: '100000',
  RECONCILE_INTERVAL_MS: '3600000',
};

async function until(app: TestApp, digestId: string, status: string) {
  await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === status, {
    timeoutMs: 60_000,
    what: `digest ${digestId} to be ${status}`,
  });
}

describe('delivery when the SMTP server refuses', () => {
  const attempts = new Map<string, number>();
  let reply: (address: string) => SmtpReply;
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ onRecipient: (address) => reply(address) });
    app = await TestApp.start({ env: { SMTP_URL: smtp.url, ...fast } });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('retries 451 replies until delivered, fails 5xx at once with the reason, and leaves hard bounces out of the next digest', async () => {
    await insertConfirmedSubscribers(app.dataSource, 60, 'ok');
    await insertConfirmedSubscribers(app.dataSource, 5, 'gone');
    await insertConfirmedSubscribers(app.dataSource, 5, 'spam');
    reply = (address) => {
      const seen = (attempts.get(address) ?? 0) + 1;
      attempts.set(address, seen);
      if (address.startsWith('gone'))
        return { code: 550, message: '5.1.1 <' + address + '>: Subscriber address rejected: User unknown' };
      if (address.startsWith('spam')) return { code: 554, message: '5.7.1 Message rejected as spam' };
      return seen <= 2 ? { code: 451, message: '4.7.1 Greylisted, please try again later' } : undefined;
    };
    const digestId = await insertApprovedDigest(app.dataSource);
    await app.get(FanOutService).fanOut(digestId);
    await until(app, digestId, 'sent');

    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 60, bounced: 5, failed: 5 });
    for (let n = 1; n <= 60; n++) expect(smtp.to(`ok${String(n).padStart(5, '0')}@example.com`)).toHaveLength(1);
    const rows: Array<{
      email: string;
      status: string;
      attempts: number;
      last_error: string | null;
      last_error_code: number | null;
      subscriber: string;
    }> = await app.dataSource.query(
      `SELECT s.email, d.status, d.attempts, d.last_error, d.last_error_code, s.status AS subscriber FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.digest_id = $1`,
      [digestId],
    );
    for (const row of rows) {
      if (row.email.startsWith('ok'))
        expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null, subscriber: 'confirmed' });
      if (row.email.startsWith('gone')) {
        expect(row).toMatchObject({ status: 'bounced', attempts: 1, last_error_code: 550, subscriber: 'bounced' });
        expect(row.last_error).toMatch(/550 5\.1\.1 .*User unknown/);
      }
      if (row.email.startsWith('spam'))
        expect(row).toMatchObject({
          status: 'failed',
          attempts: 1,
          last_error_code: 554,
          last_error: '554 5.7.1 Message rejected as spam',
          subscriber: 'confirmed',
        });
    }

    // The next digest goes to 65 subscribers: the hard bounces are left out; the spam refusals are not.
    reply = () => undefined;
    const next = await insertApprovedDigest(app.dataSource, 'Next week');
    expect((await app.get(FanOutService).fanOut(next)).subscribers).toBe(65);
    await until(app, next, 'sent');
    expect(await deliveryCounts(app.dataSource, next)).toEqual({ sent: 65 });

    // Retry the failed ones of the first digest once the server accepts them.
    const retried = await app.get(DeliveryControlService).retryFailed(digestId);
    expect(retried.affected).toBe(5);
    await until(app, digestId, 'sent');
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 65, bounced: 5 });
    for (let n = 1; n <= 5; n++) expect(smtp.to(`spam${String(n).padStart(5, '0')}@example.com`)).toHaveLength(2);
  }, 120_000);

  it('gives up on a temporary failure after the configured attempts, with the reason', async () => {
    await insertConfirmedSubscribers(app.dataSource, 3, 'slow');
    await app.dataSource.query(`UPDATE subscribers SET status = 'unsubscribed' WHERE email NOT LIKE 'slow%'`);
    reply = () => ({ code: 421, message: '4.3.2 Try again later' });
    const digestId = await insertApprovedDigest(app.dataSource, 'Third');
    await app.get(FanOutService).fanOut(digestId);
    await until(app, digestId, 'sent');
    const rows = await app.dataSource.query(
      `SELECT status, attempts, last_error FROM deliveries WHERE digest_id = $1`,
      [digestId],
    );
    expect(rows).toEqual(Array(3).fill({ status: 'failed', attempts: 4, last_error: '421 4.3.2 Try again later' }));
  }, 60_000);
});

describe('operator control of a send', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, ...fast, DELIVERY_RATE_PER_SECOND: '100', DELIVERY_CONCURRENCY: '5' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const drained = () => waitForQueueDrained(app, QueueName.Delivery);
  const sent = async (digestId: string) => (await deliveryCounts(app.dataSource, digestId)).sent ?? 0;

  it('pauses, resumes, and cancels, checked by counts', async () => {
    await insertConfirmedSubscribers(app.dataSource, 300);
    const control = app.get(DeliveryControlService);
    const digestId = await insertApprovedDigest(app.dataSource);
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await sent(digestId)) >= 50, { what: '50 sent' });
    await control.pause(digestId);
    await expect(control.pause(digestId)).rejects.toThrow(/is sending \(paused\) and cannot be paused/);
    // Every remaining job is taken and put down without a send; nothing moves after that.
    await drained();
    const atPause = await deliveryCounts(app.dataSource, digestId);
    expect(atPause.sending ?? 0).toBe(0);
    expect(atPause.queued).toBeGreaterThan(0);
    expect(smtp.received).toHaveLength(atPause.sent);
    expect(await digestStatus(app.dataSource, digestId)).toBe('sending');

    const resumed = await control.resume(digestId);
    expect(resumed.affected).toBe(atPause.queued);
    await until(app, digestId, 'sent');
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 300 });
    expect(new Set(smtp.received.map((m) => m.envelopeTo[0])).size).toBe(300);
    expect(smtp.received).toHaveLength(300);

    const second = await insertApprovedDigest(app.dataSource, 'Cancelled one');
    await app.get(FanOutService).fanOut(second);
    await waitFor(async () => (await sent(second)) >= 30, { what: '30 sent' });
    const cancelled = await control.cancel(second);
    await drained();
    const counts = await deliveryCounts(app.dataSource, second);
    expect(counts.skipped).toBeGreaterThanOrEqual(cancelled.affected);
    expect((counts.sent ?? 0) + counts.skipped).toBe(300);
    expect(counts.queued ?? 0).toBe(0);
    expect(smtp.received).toHaveLength(300 + counts.sent);
    expect(await digestStatus(app.dataSource, second)).toBe('cancelled');
    await expect(control.resume(second)).rejects.toThrow(/is cancelled and cannot be resumed/);
  }, 120_000);

  it('skips a subscriber who unsubscribes after the fan-out but before their send', async () => {
    const subscriber = await app.dataSource.query(
      `SELECT email FROM subscribers WHERE status = 'confirmed' ORDER BY email LIMIT 1`,
    );
    const control = app.get(DeliveryControlService);
    const digestId = await insertApprovedDigest(app.dataSource, 'Unsubscribe race');
    // Fanned out and paused before any send: the window the subscriber leaves in.
    await app.dataSource.query(`UPDATE digests SET paused_at = now() WHERE id = $1`, [digestId]);
    await app.dataSource.query(
      `UPDATE digests SET status = 'sending', sending_at = now(), fanned_out_at = now() WHERE id = $1`,
      [digestId],
    );
    await app.dataSource.query(
      `INSERT INTO deliveries (digest_id, subscriber_id) SELECT $1, id FROM subscribers WHERE status = 'confirmed'`,
      [digestId],
    );
    const before = smtp.to(subscriber[0].email).length;
    await request(app.http)
      .post(`/unsubscribe/${await linkTokenOf(app, subscriber[0].email)}/one-click`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    await control.resume(digestId);
    await until(app, digestId, 'sent');
    expect(smtp.to(subscriber[0].email)).toHaveLength(before);
    const [row] = await app.dataSource.query(
      `SELECT d.status, d.last_error FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.digest_id = $1 AND s.email = $2`,
      [digestId, subscriber[0].email],
    );
    expect(row).toEqual({ status: 'skipped', last_error: 'subscriber is unsubscribed' });
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 299, skipped: 1 });
  }, 60_000);
});
