import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '../src/common/queue.constants.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { digestStatus, insertApprovedDigest } from './support/digest-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const FAST = 12;
const PACED = 3;

describe('DOMAIN_RATES: per-destination-domain pacing across workers', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    // One slot every 2 s for paced.example; fast.example has no rate.
    app = await TestApp.start({ env: { SMTP_URL: smtp.url, DOMAIN_RATES: 'paced.example=30/min' } });
    await app.dataSource.query(
      `INSERT INTO subscribers (email, status, confirmed_at)
       SELECT 'reader' || n || '@' || CASE WHEN n <= $1 THEN 'fast.example' ELSE 'paced.example' END, 'confirmed', now()
       FROM generate_series(1, $2) AS n`,
      [FAST, FAST + PACED],
    );
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('spreads the paced domain over its slots, in the delayed set, while the other domain goes at full speed', async () => {
    const digestId = await insertApprovedDigest(app.dataSource);
    await app.get(FanOutService).fanOut(digestId);
    const domainOf = (index: number) => smtp.received[index].envelopeTo[0].split('@')[1];
    const received = () => smtp.received.map((_, index) => domainOf(index));

    const whenFastDone = await waitFor(
      () => (received().filter((domain) => domain === 'fast.example').length === FAST ? received() : null),
      { what: 'every fast.example copy' },
    );
    // Every fast copy went out before the paced domain's second slot; the paced ones wait, holding no worker.
    expect(whenFastDone.filter((domain) => domain === 'paced.example').length).toBeLessThanOrEqual(1);
    const queue = app.app.get<Queue>(getQueueToken(QueueName.Delivery));
    const delayed = await queue.getDelayed();
    expect(delayed.length).toBeGreaterThanOrEqual(PACED - 2);
    expect(delayed.every((job) => job.data.domain === 'paced.example' && job.data.slot)).toBe(true);

    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
      what: 'the paced copies to go out too',
    });
    const order = received();
    expect(order.filter((domain) => domain === 'paced.example')).toHaveLength(PACED);
    // The first paced copy may go among the fast ones; the others only after all of them.
    const afterFast = order.slice(order.lastIndexOf('fast.example') + 1);
    expect(afterFast.length).toBeGreaterThanOrEqual(PACED - 1);
    expect(afterFast.every((domain) => domain === 'paced.example')).toBe(true);
  });
});
