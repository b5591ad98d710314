import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { generate } from 'selfsigned';
import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { SnsUrlPolicy } from '../src/deliverability/webhooks/sns-url-policy.js';
import { digestStatus, insertApprovedDigest, insertConfirmedSubscribers } from './support/digest-fixtures.js';
import { HttpStandIn } from './support/http-stand-in.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const MAILGUN_KEY = 'mailgun-signing-key-0123456789';
const POSTMARK_SECRET = 'postmark-webhook-secret-0123';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const ADMIN_TOKEN = 'events-admin-token-0123456789abcdef-xyz';

describe('provider webhooks with real signatures', () => {
  let smtp: SmtpSink;
  let certHost: HttpStandIn;
  let app: TestApp;
  let snsKey: string;
  let deliveries: Array<{ id: string; message_id: string; email: string; subscriber_id: string }>;
  let subscribed = 0;

  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'sns.eu-west-1.amazonaws.com' }], { keySize: 2048 });
    snsKey = pems.private;
    certHost = await HttpStandIn.start((req) =>
      req.path === '/cert.pem'
        ? { status: 200, headers: { 'content-type': 'text/plain' }, body: pems.cert }
        : req.path.startsWith('/?Action=ConfirmSubscription')
          ? (subscribed++, { status: 200, body: '<ConfirmSubscriptionResponse/>' })
          : { status: 404, body: '' },
    );
    const standInHost = new URL(certHost.url).host;
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        POSTMARK_WEBHOOK_SECRET: POSTMARK_SECRET,
        MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY,
        SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        SOFT_BOUNCES_TO_BOUNCE: '2',
        ADMIN_TOKENS: ADMIN_TOKEN,
      },
      // Only the test widens the SNS host rule, to its loopback stand-in.
      overrides: [{ provide: SnsUrlPolicy, useValue: { allows: (url: URL) => url.host === standInHost } }],
    });
    await insertConfirmedSubscribers(app.dataSource, 6);
    const digestId = await insertApprovedDigest(app.dataSource);
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
      what: 'the digest to be sent',
    });
    deliveries = await app.dataSource.query(
      `SELECT d.id, d.message_id, s.email, s.id AS subscriber_id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id ORDER BY s.email`,
    );
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await certHost?.close();
  });

  const state = async (index: number) => {
    const [row] = await app.dataSource.query(
      `SELECT d.status AS delivery, s.status AS subscriber FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.id = $1`,
      [deliveries[index].id],
    );
    return row as { delivery: string; subscriber: string };
  };

  function sns(fields: Record<string, string>, version = '2'): Record<string, string> {
    const message: Record<string, string> = {
      MessageId: randomUUID(),
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:tidings-events',
      Timestamp: new Date().toISOString(),
      SignatureVersion: version,
      SigningCertURL: `${certHost.url}/cert.pem`,
      ...fields,
    };
    const order =
      message.Type === 'Notification'
        ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
        : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    const text = order
      .filter((k) => message[k] !== undefined)
      .map((k) => `${k}\n${message[k]}\n`)
      .join('');
    message.Signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
      .update(text)
      .sign(snsKey, 'base64');
    return message;
  }

  const sesBounce = (index: number, bounceType: string) =>
    JSON.stringify({
      eventType: 'Bounce',
      bounce: {
        bounceType,
        bouncedRecipients: [{ emailAddress: deliveries[index].email, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
      },
      mail: { messageId: `ses-${index}`, commonHeaders: { messageId: `<${deliveries[index].message_id}>` } },
    });

  const post = (provider: string, body: string | object, headers: Record<string, string> = {}) =>
    request(app.http)
      .post(`/webhooks/${provider}`)
      .set({ 'content-type': 'application/json', ...headers })
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('SES through SNS: confirms the subscription, applies a signed hard bounce, refuses tampered, unsigned, foreign-host and replayed ones', async () => {
    await post(
      'ses',
      sns(
        {
          Type: 'SubscriptionConfirmation',
          Token: 't',
          Message: 'confirm',
          SubscribeURL: `${certHost.url}/?Action=ConfirmSubscription&Token=t`,
        },
        '1',
      ),
    ).expect(200);
    expect(subscribed).toBe(1);

    const bounce = sns({ Type: 'Notification', Message: sesBounce(0, 'Permanent') });
    await post('ses', { ...bounce, Message: sesBounce(1, 'Permanent') }).expect(401);
    const { Signature: _, ...unsigned } = bounce;
    await post('ses', unsigned).expect(401);
    await post('ses', {
      ...sns({ Type: 'Notification', Message: sesBounce(1, 'Permanent') }),
      SigningCertURL: 'https://evil.example.com/cert.pem',
    }).expect(401);
    await post(
      'ses',
      sns({
        Type: 'Notification',
        Message: sesBounce(1, 'Permanent'),
        Timestamp: new Date(Date.now() - 2 * 3600_000).toISOString(),
      }),
    ).expect(401);
    expect(await state(1)).toEqual({ delivery: 'sent', subscriber: 'confirmed' });

    await post('ses', bounce).expect(200);
    expect(await state(0)).toEqual({ delivery: 'bounced', subscriber: 'bounced' });
    await post('ses', bounce).expect(401);
    const [event] = await app.dataSource.query(
      `SELECT verdict, delivery_id FROM delivery_events WHERE provider = 'ses' AND type = 'bounce'`,
    );
    expect(event).toEqual({
      verdict: 'hard bounce: delivery bounced, subscriber bounced',
      delivery_id: deliveries[0].id,
    });
  });

  it('Mailgun: HMAC of timestamp and token; soft bounces count, a complaint unsubscribes and suppresses', async () => {
    const signed = (
      index: number,
      event: string,
      severity: string | undefined,
      timestamp = Math.floor(Date.now() / 1000),
    ) => {
      const token = randomUUID();
      return {
        signature: {
          timestamp: String(timestamp),
          token,
          signature: createHmac('sha256', MAILGUN_KEY).update(`${timestamp}${token}`).digest('hex'),
        },
        'event-data': { event, severity, message: { headers: { 'message-id': deliveries[index].message_id } } },
      };
    };
    const soft = signed(2, 'failed', 'temporary');
    await post('mailgun', { ...soft, signature: { ...soft.signature, signature: 'ab'.repeat(32) } }).expect(401);
    await post('mailgun', soft).expect(200);
    await post('mailgun', soft).expect(401); // same token: replay
    await post('mailgun', signed(3, 'failed', 'permanent', Math.floor(Date.now() / 1000) - 3600)).expect(401);
    const { signature: _, ...unsigned } = signed(3, 'failed', 'permanent');
    await post('mailgun', unsigned).expect(401);
    expect(await state(3)).toEqual({ delivery: 'sent', subscriber: 'confirmed' });

    await post('mailgun', signed(3, 'failed', 'temporary')).expect(200);
    expect((await state(3)).subscriber).toBe('confirmed');
    await post('mailgun', signed(3, 'failed', 'temporary')).expect(200);
    expect((await state(3)).subscriber).toBe('bounced');

    await post('mailgun', signed(4, 'complained', undefined)).expect(200);
    expect(await state(4)).toEqual({ delivery: 'complained', subscriber: 'unsubscribed' });
    const [consent] = await app.dataSource.query(
      `SELECT kind, source FROM consent_events WHERE subscriber_id = $1 AND kind = 'unsubscribe'`,
      [deliveries[4].subscriber_id],
    );
    expect(consent).toEqual({ kind: 'unsubscribe', source: 'complaint:mailgun' });
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM suppressions WHERE reason = 'complaint'`,
    );
    expect(n).toBe(1);

    // The operator sees why: the stored events of this subscriber, newest first, with their verdicts.
    const events = await request(app.http)
      .get('/admin/events')
      .query({ subscriberId: deliveries[3].subscriber_id, limit: 1 })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ provider: 'mailgun', subscriberId: deliveries[3].subscriber_id });
    expect(events.body.nextCursor).toMatch(/^e\d+$/);
    const older = await request(app.http)
      .get('/admin/events')
      .query({ subscriberId: deliveries[3].subscriber_id, cursor: events.body.nextCursor })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(older.body.items.map((e: { verdict: string }) => e.verdict)).toHaveLength(1);
    expect(older.body.items[0].id).not.toBe(events.body.items[0].id);
    await request(app.http)
      .get('/admin/events')
      .query({ cursor: 'not-a-cursor' })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(400);
  });

  it('SendGrid: ECDSA P-256 over timestamp and raw body; Postmark: the secret in basic auth', async () => {
    const body = JSON.stringify([
      { event: 'spamreport', sg_event_id: randomUUID(), 'smtp-id': `<${deliveries[5].message_id}>` },
    ]);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createSign('sha256')
      .update(timestamp + body)
      .sign(sendgridKeys.privateKey, 'base64');
    const headers = {
      'x-twilio-email-event-webhook-signature': signature,
      'x-twilio-email-event-webhook-timestamp': timestamp,
    };
    await post('sendgrid', body.replace('spamreport', 'delivered'), headers).expect(401);
    await post('sendgrid', body).expect(401);
    expect((await state(5)).delivery).toBe('sent');
    await post('sendgrid', body, headers).expect(200);
    expect(await state(5)).toEqual({ delivery: 'complained', subscriber: 'unsubscribed' });

    const event = {
      RecordType: 'Bounce',
      ID: 42,
      Type: 'HardBounce',
      MessageID: 'pm-1',
      Metadata: { 'message-id': deliveries[1].message_id },
    };
    await post('postmark', event).expect(401);
    await post('postmark', event, {
      authorization: `Basic ${Buffer.from('postmark:wrong-secret-0123456789').toString('base64')}`,
    }).expect(401);
    expect((await state(1)).delivery).toBe('sent');
    await post('postmark', event, {
      authorization: `Basic ${Buffer.from(`postmark:${POSTMARK_SECRET}`).toString('base64')}`,
    }).expect(200);
    expect(await state(1)).toEqual({ delivery: 'bounced', subscriber: 'bounced' });
  });
});
