import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { linkIn, pathOf } from './support/links.js';
import { SubscribersRepository } from '../src/subscribers/subscribers.repository.js';
import { verifyDkim } from './support/dkim-verify.js';
import { headerOf, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('digest delivery to 2,000 subscribers', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, SMTP_POOL_SIZE: '8', DELIVERY_CONCURRENCY: '40', DELIVERY_RATE_PER_SECOND: '100000' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('sends each confirmed subscriber exactly one copy with its own links and the list headers', async () => {
    const started = Date.now();
    await insertConfirmedSubscribers(app.dataSource, 2000);
    await app.dataSource.query(`INSERT INTO subscribers (email) VALUES ('pending@example.com')`);
    const digestId = await insertApprovedDigest(app.dataSource);

    const result = await app.get(FanOutService).fanOut(digestId);
    expect(result).toMatchObject({ subscribers: 2000, enqueued: 2000 });
    // A second release of the same digest does nothing.
    expect(await app.get(FanOutService).fanOut(digestId)).toMatchObject({ subscribers: 0 });

    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
      timeoutMs: 120_000,
      what: 'the digest to be sent',
    });
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 2000 });
    console.log(`2,000 subscribers delivered in ${Date.now() - started} ms`);
    expect(smtp.received).toHaveLength(2000);
    expect(smtp.to('pending@example.com')).toHaveLength(0);

    const subscribers = smtp.received.map((mail) => mail.envelopeTo[0]);
    expect(new Set(subscribers).size).toBe(2000);

    const repository = app.get(SubscribersRepository);
    const tokens = new Map<string, string>(
      (await app.dataSource.getRepository(Subscriber).find()).map((s) => [s.email, repository.linkToken(s)]),
    );
    const messageIds = new Set<string>();
    for (const mail of smtp.received) {
      const subscriber = mail.envelopeTo[0];
      const token = tokens.get(subscriber)!;
      expect(mail.parsed.text).toContain(`${app.url}/unsubscribe/${token}?digest=${digestId}`);
      expect(mail.parsed.html).toContain(`${app.url}/unsubscribe/${token}?digest=${digestId}`);
      expect(mail.parsed.html).not.toContain('tidings.invalid');
      // No mailto: nothing reads inbound mail here.
      expect(headerOf(mail, 'List-Unsubscribe')).toBe(`<${app.url}/unsubscribe/${token}/one-click?digest=${digestId}>`);
      expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(headerOf(mail, 'List-Id')).toBe('"BHM Healthcare weekly digest" <weekly.bhmpc.com>');
      expect(mail.parsed.messageId).toMatch(/^<[A-Za-z0-9_-]{32}\.digest@bhmpc\.com>$/);
      messageIds.add(mail.parsed.messageId!);
      expect((mail.parsed.to as { text: string }).text).toBe(subscriber);
    }
    expect(messageIds.size).toBe(2000);

    const [{ recorded }] = await app.dataSource.query(
      `SELECT count(DISTINCT message_id)::int AS recorded FROM deliveries WHERE digest_id = $1 AND status = 'sent'`,
      [digestId],
    );
    expect(recorded).toBe(2000);

    // A subscriber's own link works: one click from the header, as a mailbox provider sends it.
    const sample = smtp.received[1234];
    const oneClick = /<([^>]+\/one-click\?digest=[^>]+)>/.exec(headerOf(sample, 'List-Unsubscribe')!)![1];
    await request(app.http).post(pathOf(oneClick)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const subscriber = await app.dataSource.getRepository(Subscriber).findOneByOrFail({ email: sample.envelopeTo[0] });
    expect(subscriber.status).toBe('unsubscribed');
    // And the link in the body leads to the page with a button.
    await request(app.http)
      .get(pathOf(linkIn(smtp.received[7].parsed.text, `${app.url}/unsubscribe/`)))
      .expect(200)
      .expect(/Unsubscribe/);
  }, 180_000);
});

describe('DKIM', () => {
  it('signs every digest, covering the list headers, with a signature that verifies', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const smtp = await SmtpSink.start();
    const app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        DKIM_DOMAIN: 'bhmpc.com',
        DKIM_SELECTOR: 'tidings2026',
        // One line, as an environment variable usually carries it.
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
        REPLY_TO: '"Zoë, the editors" <editors@bhmpc.com>',
      },
    });
    try {
      await insertConfirmedSubscribers(app.dataSource, 3);
      // A name outside ASCII travels RFC 2047-encoded in To, which the signature covers.
      await app.dataSource.query(`UPDATE subscribers SET name = 'Zoë Müller-Łukasz' WHERE email LIKE '%00001@%'`);
      const digestId = await insertApprovedDigest(app.dataSource);
      await app.get(FanOutService).fanOut(digestId);
      await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
        what: 'the digest to be sent',
      });
      expect(smtp.received).toHaveLength(3);
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      for (const mail of smtp.received) {
        const { valid, bodyHashMatches, tags } = verifyDkim(mail.raw, pem);
        expect(tags).toMatchObject({ d: 'bhmpc.com', s: 'tidings2026' });
        const signed = tags.h.toLowerCase().split(':');
        expect(signed).toEqual(
          expect.arrayContaining([
            'from',
            'to',
            'subject',
            'date',
            'message-id',
            'list-id',
            'list-unsubscribe',
            'list-unsubscribe-post',
          ]),
        );
        // Oversigned: an added copy of these would break the signature.
        for (const name of ['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post'])
          expect(signed.filter((n) => n === name)).toHaveLength(2);
        expect(bodyHashMatches).toBe(true);
        expect(valid).toBe(true);
        expect(mail.parsed.replyTo).toMatchObject({
          value: [{ name: 'Zoë, the editors', address: 'editors@bhmpc.com' }],
        });
      }
      const named = smtp.received.find((mail) => mail.envelopeTo[0].includes('00001@'))!;
      expect(named.parsed.to).toMatchObject({ value: [{ name: 'Zoë Müller-Łukasz', address: named.envelopeTo[0] }] });
      // A tampered copy does not verify.
      const tampered = Buffer.from(
        smtp.received[0].raw.toString('latin1').replace(/^Subject: .*$/m, 'Subject: Win a prize'),
        'latin1',
      );
      expect(verifyDkim(tampered, publicKey.export({ type: 'spki', format: 'pem' }).toString()).valid).toBe(false);
    } finally {
      await app.close();
      await smtp.close();
    }
  }, 60_000);
});
