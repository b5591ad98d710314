import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { sample } from './support/prometheus.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('GET /metrics', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start({
      onRecipient: (address) =>
        address.startsWith('nobody@') ? { code: 550, message: '5.1.1 no such mailbox' } : undefined,
    });
    app = await TestApp.start({ env: { ADMIN_TOKENS: 'm'.repeat(40), SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const scrape = async () => {
    const response = await request(app.http).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text;
  };
  const subscribe = (email: string) => request(app.http).post('/subscribe').send({ email, consent: 'yes' }).expect(200);

  it('counts a confirmation mail once the SMTP server has taken it, with its duration', async () => {
    const before = await scrape();
    expect(sample(before, 'tidings_mails_sent_total', { kind: 'confirmation' })).toBe(0);
    expect(sample(before, 'tidings_mails_sent_total', { kind: 'digest' })).toBe(0);
    await subscribe('counted@example.com');
    await smtp.waitForMail('counted@example.com');
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    const after = await waitFor(async () => {
      const text = await scrape();
      return sample(text, 'tidings_mails_sent_total', { kind: 'confirmation' }) === 1 ? text : null;
    });
    expect(sample(after, 'tidings_send_duration_seconds_count', { kind: 'confirmation' })).toBe(1);
    expect(sample(after, 'tidings_mails_failed_total', { kind: 'confirmation', reason: 'bounce' })).toBe(0);
  });

  it('counts a refused mail as failed, sorted by the SMTP reply', async () => {
    await subscribe('nobody@example.com');
    await waitFor(
      async () =>
        sample(await scrape(), 'tidings_mails_failed_total', { kind: 'confirmation', reason: 'bounce' })! >= 1,
      { what: 'a bounce to be counted' },
    );
    expect(sample(await scrape(), 'tidings_mails_failed_total', { kind: 'confirmation', reason: 'temporary' })).toBe(0);
  });

  it('reports subscribers per status and jobs per queue and state, read at scrape time', async () => {
    await app.dataSource.query(`INSERT INTO subscribers (email, status) VALUES ('gone@example.com', 'unsubscribed')`);
    const text = await scrape();
    expect(sample(text, 'tidings_subscribers', { status: 'pending' })).toBe(2);
    expect(sample(text, 'tidings_subscribers', { status: 'unsubscribed' })).toBe(1);
    expect(sample(text, 'tidings_subscribers', { status: 'bounced' })).toBe(0);
    expect(
      sample(text, 'tidings_queue_jobs', { queue: QueueName.TransactionalMail, state: 'completed' }),
    ).toBeGreaterThanOrEqual(1);
    for (const queue of Object.values(QueueName)) {
      expect(sample(text, 'tidings_queue_jobs', { queue, state: 'waiting' })).toEqual(expect.any(Number));
      expect(sample(text, 'tidings_queue_paused', { queue })).toBe(0);
    }
    expect(text).toContain('# TYPE tidings_digest_progress_ratio gauge');
    expect(sample(text, 'tidings_digest_progress_ratio')).toBeUndefined();
    expect(sample(text, 'process_cpu_user_seconds_total')).toEqual(expect.any(Number));
  });

  it('is open when METRICS_TOKEN is not set', async () => {
    await request(app.http).get('/metrics').expect(200);
  });
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  const METRICS_TOKEN = 'p'.repeat(40);
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ env: { ADMIN_TOKENS: 'm'.repeat(40), METRICS_TOKEN } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('wants that token as a bearer token, and nothing else', async () => {
    await request(app.http).get('/metrics').expect(401).expect('WWW-Authenticate', 'Bearer realm="tidings-metrics"');
    await request(app.http)
      .get('/metrics')
      .set('Authorization', `Bearer ${'m'.repeat(40)}`)
      .expect(401);
    const refused = await request(app.http)
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN.slice(1)}`)
      .expect(401);
    expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect(refused.text).not.toContain(METRICS_TOKEN.slice(1));
    const { text } = await request(app.http)
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(text).toContain('tidings_mails_sent_total');
  });
});
