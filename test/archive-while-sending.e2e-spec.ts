import request from 'supertest';
import { DeliveryControlService } from '../src/delivery/delivery-control.service.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { type SmtpReply, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const sentAt = async (app: TestApp, id: string): Promise<string | null> =>
  (await app.dataSource.query(`SELECT sent_at::text AS at FROM digests WHERE id = $1`, [id]))[0].at;

describe('"View in your browser" while a digest is still sending', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        DELIVERY_RATE_PER_SECOND: '20',
        DELIVERY_CONCURRENCY: '4',
        DELIVERY_MAX_ATTEMPTS: '1',
        RECONCILE_INTERVAL_MS: '3600000',
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('answers 200 from the first copy of a slow 5,000-subscriber send, and lists the digest', async () => {
    await insertConfirmedSubscribers(app.dataSource, 5000, 'slow');
    const digestId = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: Sending slowly');
    await request(app.http).get(`/archive/${digestId}`).expect(404);

    await app.get(FanOutService).fanOut(digestId);
    await waitFor(() => smtp.received.length > 0, { what: 'the first copy to leave' });

    const page = await request(app.http).get(`/archive/${digestId}`).expect(200);
    expect(page.text).toContain('Sending slowly');
    const list = await request(app.http).get('/archive').expect(200);
    expect(list.text).toContain(`/archive/${digestId}`);
    // The send was still under way when the page answered.
    expect(await digestStatus(app.dataSource, digestId)).toBe('sending');
    expect((await deliveryCounts(app.dataSource, digestId)).queued).toBeGreaterThan(0);

    // A send cancelled midway stays readable by those who received it.
    await app.get(DeliveryControlService).cancel(digestId);
    await request(app.http).get(`/archive/${digestId}`).expect(200);
  }, 60_000);
});

describe('retry-failed and the sent date', () => {
  let reply: (address: string) => SmtpReply = () => undefined;
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start({ onRecipient: (address) => reply(address) });
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, DELIVERY_MAX_ATTEMPTS: '1', RECONCILE_INTERVAL_MS: '3600000' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('keeps the sent date of a digest whose failed copies are retried', async () => {
    await insertConfirmedSubscribers(app.dataSource, 3, 'retry');
    reply = (address) => (address.startsWith('retry00001') ? { code: 554, message: '5.7.1 Rejected' } : undefined);
    const digestId = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: Retried');
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', { what: 'the digest sent' });
    const first = await sentAt(app, digestId);
    expect(first).not.toBeNull();

    reply = () => undefined;
    await app.get(DeliveryControlService).retryFailed(digestId);
    await waitFor(async () => (await deliveryCounts(app.dataSource, digestId)).sent === 3, { what: 'the retry' });
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', { what: 'sent again' });
    expect(await sentAt(app, digestId)).toBe(first);
  }, 60_000);
});
