import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

describe('the confirmation mail cannot be turned into a flood', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, CONFIRMATION_MAILS_PER_DOMAIN_PER_HOUR: '4', CONFIRMATION_MAILS_PER_HOUR: '9' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const subscribe = (email: string, name?: string) =>
    request(app.http).post('/subscribe').send({ email, name, consent: 'yes' }).expect(200);
  const mailsTo = (pattern: RegExp) =>
    smtp.received.filter((mail) => mail.envelopeTo.some((to) => pattern.test(to))).length;

  it('sends 3 mails, not 20, to 20 +tags of one mailbox, and counts Gmail dots as one mailbox', async () => {
    for (let i = 1; i <= 20; i++) await subscribe(`victim+${i}@plus.example`);
    for (const email of ['v.ictim@gmail.com', 'vi.ctim+a@gmail.com', 'victim@googlemail.com', 'v.i.c.t.i.m@gmail.com'])
      await subscribe(email);
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    expect(mailsTo(/@plus\.example$/)).toBe(3);
    expect(mailsTo(/@(gmail|googlemail)\.com$/)).toBe(3);
  });

  it('keeps the name of the first request for a pending subscriber, and greets nobody by name', async () => {
    await subscribe('named@names.example', 'Alice');
    await subscribe('named@names.example', 'Mallory the Spammer');
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    const [row] = await app.dataSource.query(`SELECT name FROM subscribers WHERE email = 'named@names.example'`);
    expect(row.name).toBe('Alice');
    const mails = smtp.to('named@names.example');
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.parsed.text).not.toMatch(/Alice|Mallory/);
      expect(mail.parsed.html).not.toMatch(/Alice|Mallory/);
    }
  });

  it('does not mail an address that bounced again from the public form', async () => {
    await app.dataSource.query(
      `INSERT INTO subscribers (email, status, bounced_at) VALUES ('gone@bounce.example', 'bounced', now())`,
    );
    await subscribe('gone@bounce.example');
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    const [row] = await app.dataSource.query(
      `SELECT s.status, count(t.id)::int AS tokens FROM subscribers s LEFT JOIN confirmation_tokens t ON t.subscriber_id = s.id WHERE s.email = 'gone@bounce.example' GROUP BY s.status`,
    );
    expect(row).toEqual({ status: 'bounced', tokens: 0 });
    expect(smtp.to('gone@bounce.example')).toHaveLength(0);
  });

  it('caps mails per recipient domain and hour, then in all, with a metric and a /health warning', async () => {
    // 8 mails so far: 3 + 3 + 2.
    for (let i = 1; i <= 3; i++) await subscribe(`person${i}@many.example`);
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    expect(mailsTo(/@many\.example$/)).toBe(1); // the 9th, global, mail; the 10th and 11th are refused

    const health = await request(app.http).get('/health').expect(200);
    expect(health.body.details.confirmationMails.warning).toMatch(/hourly cap on confirmation mails was reached/);
    const metrics = await request(app.http).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/tidings_confirmation_mail_caps_reached_total\{scope="global"\} 2/);
  });

  it('refuses a fourth mail to one domain within the hour', async () => {
    const other = await TestApp.start({
      database: app.database,
      env: { SMTP_URL: smtp.url, CONFIRMATION_MAILS_PER_DOMAIN_PER_HOUR: '2' },
    });
    try {
      for (let i = 1; i <= 3; i++)
        await request(other.http)
          .post('/subscribe')
          .send({ email: `p${i}@domain.example`, consent: 'yes' });
      await waitForQueueDrained(other, QueueName.TransactionalMail);
      expect(mailsTo(/@domain\.example$/)).toBe(2);
      const metrics = await request(other.http).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/tidings_confirmation_mail_caps_reached_total\{scope="domain"\} 1/);
    } finally {
      await other.close();
    }
  });
});
