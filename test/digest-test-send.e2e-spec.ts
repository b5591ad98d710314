import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { verifyDkim } from './support/dkim-verify.js';
import { headerOf, type ReceivedMail, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'digest-test-send-token-0123456789abcdef';

describe('a digest test copy', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        ADMIN_TOKENS: TOKEN,
        DKIM_DOMAIN: 'bhmpc.com',
        DKIM_SELECTOR: 'tidings2026',
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** The header names in the order sent, each once. */
  const headerNames = (mail: ReceivedMail) => [...new Set(mail.parsed.headerLines.map((h) => h.key))];
  const domainOf = (mail: ReceivedMail) => /@([^>]+)>$/.exec(mail.parsed.messageId ?? '')?.[1];

  it('carries the same headers as a delivered copy, signed alike, with links that unsubscribe nobody', async () => {
    await insertConfirmedSubscribers(app.dataSource, 1, 'real');
    const digestId = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: Same headers');

    const response = await request(app.http)
      .post(`/admin/digests/${digestId}/test`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ to: 'ops@example.com' })
      .expect(200);
    const [test] = await smtp.waitForMail('ops@example.com');
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
      what: 'the digest to be sent',
    });
    const [real] = smtp.to('real00001@example.com');

    expect(headerNames(test)).toEqual(headerNames(real));
    expect(headerNames(test)).toEqual(
      expect.arrayContaining([
        'dkim-signature',
        'list-id',
        'list-unsubscribe',
        'list-unsubscribe-post',
        'list-archive',
        'message-id',
        'date',
      ]),
    );
    for (const name of ['From', 'List-Id', 'List-Unsubscribe-Post', 'List-Archive', 'MIME-Version'])
      expect(headerOf(test, name)).toBe(headerOf(real, name));
    expect(test.parsed.subject).toBe(`[Test] ${real.parsed.subject}`);
    expect(domainOf(test)).toBe('bhmpc.com');
    expect(domainOf(real)).toBe('bhmpc.com');
    expect(test.parsed.messageId).toBe(`<${response.body.messageId}>`);
    expect(response.body).toEqual({
      to: 'ops@example.com',
      messageId: expect.stringMatching(/^[A-Za-z0-9_-]{32}\.digest@bhmpc\.com$/),
    });

    const realDkim = verifyDkim(real.raw, publicPem);
    const testDkim = verifyDkim(test.raw, publicPem);
    expect(testDkim).toMatchObject({ valid: true, bodyHashMatches: true });
    expect(testDkim.tags.h).toBe(realDkim.tags.h);

    // The real copy unsubscribes its subscriber; the test copy leads to the subscribe page.
    expect(headerOf(real, 'List-Unsubscribe')).toMatch(
      new RegExp(`^<${app.url}/unsubscribe/[^/]+/one-click\\?digest=${digestId}>$`),
    );
    expect(headerOf(test, 'List-Unsubscribe')).toBe(`<${app.url}/>`);
    for (const part of [test.parsed.html as string, test.parsed.text as string]) {
      expect(part).not.toContain('/unsubscribe/');
      expect(part).not.toContain('tidings.invalid');
    }
    expect(test.parsed.text).toContain(`Unsubscribe: ${app.url}/`);
    // A mailbox provider's one-click POST to it changes nobody.
    await request(app.http).post('/').type('form').send('List-Unsubscribe=One-Click');
    const [{ confirmed }] = await app.dataSource.query(
      `SELECT count(*)::int AS confirmed FROM subscribers WHERE status = 'confirmed'`,
    );
    expect(confirmed).toBe(1);
    // And the test copy is no delivery.
    expect(await deliveryCounts(app.dataSource, digestId)).toEqual({ sent: 1 });
  });
});
