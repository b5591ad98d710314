import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { digestStatus, insertApprovedDigest, insertConfirmedSubscribers } from './support/digest-fixtures.js';
import { ImapStandIn } from './support/imap-stand-in.js';
import { type InboundFixture, inboundFixture } from './support/inbound-fixtures.js';
import { sample } from './support/prometheus.js';
import { headerOf, SmtpSink } from './support/smtp-sink.js';
import { freePort, TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const DOMAIN = 'inbound.example.org';
const ADMIN_TOKEN = 'inbound-admin-token-0123456789abcdef-xyz';
const IMAP_LOGIN = { user: `bounces@${DOMAIN}`, password: 'imap pass:with/odd@chars' };

interface Reader {
  email: string;
  subscriberId: string;
  messageId: string;
  /** Read from the mailto of the List-Unsubscribe header the reader got, never from the database. */
  token: string;
}

describe('mail coming back (DSN, ARF, List-Unsubscribe mailto) over SMTP and IMAP', () => {
  let smtp: SmtpSink;
  let imap: ImapStandIn;
  let app: TestApp;
  let inboundPort: number;
  let digestId: string;
  let readers: Reader[];

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    imap = await ImapStandIn.start(IMAP_LOGIN);
    inboundPort = await freePort();
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        ADMIN_TOKENS: ADMIN_TOKEN,
        INBOUND_DOMAIN: DOMAIN,
        INBOUND_SMTP_HOST: '127.0.0.1',
        INBOUND_SMTP_PORT: String(inboundPort),
        INBOUND_IMAP_URL: imap.url(),
        INBOUND_IMAP_POLL_SECONDS: '1',
        INBOUND_MAX_BYTES: '16384',
      },
    });
    await insertConfirmedSubscribers(app.dataSource, 10, 'reader');
    digestId = await insertApprovedDigest(app.dataSource);
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', {
      what: 'the digest to be sent',
    });
    const rows: Array<{ email: string; subscriber_id: string; message_id: string }> = await app.dataSource.query(
      `SELECT s.email, s.id AS subscriber_id, d.message_id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id ORDER BY s.email`,
    );
    readers = rows.map((row) => ({
      email: row.email,
      subscriberId: row.subscriber_id,
      messageId: row.message_id,
      token: /<mailto:unsubscribe\+([^@]+)@/.exec(headerOf(smtp.to(row.email)[0], 'List-Unsubscribe') ?? '')![1],
    }));
  });

  afterAll(async () => {
    await app?.close();
    await imap?.close();
    await smtp?.close();
  });

  const fixture = (name: InboundFixture, reader: Reader, subject = `unsubscribe ${digestId}`) =>
    inboundFixture(name, {
      RECIPIENT: reader.email,
      ORIGINAL_MESSAGE_ID: reader.messageId,
      RETURN_PATH: `bounces@${DOMAIN}`,
      ABUSE_ADDRESS: `abuse@${DOMAIN}`,
      UNSUBSCRIBE_ADDRESS: `unsubscribe+${reader.token}@${DOMAIN}`,
      SUBJECT: subject,
    });

  /** Over real SMTP to the inbound listener, as the operator's MX would relay it (a report has the null sender). */
  const deliver = async (raw: Buffer, to: string, from = '') => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inboundPort,
      secure: false,
      ignoreTLS: true,
    });
    try {
      return await transport.sendMail({ envelope: { from, to: [to] }, raw });
    } finally {
      transport.close();
    }
  };

  const state = async (reader: Reader) => {
    const [row] = await app.dataSource.query(
      `SELECT d.status AS delivery, s.status AS subscriber FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.id = $1`,
      [reader.subscriberId],
    );
    return row as { delivery: string; subscriber: string };
  };
  const unsubscribeEvents = (reader: Reader) =>
    app.dataSource.query(
      `SELECT source, digest_id FROM consent_events WHERE subscriber_id = $1 AND kind = 'unsubscribe'`,
      [reader.subscriberId],
    );
  const providerEvents = (provider: string) =>
    app.dataSource.query(
      `SELECT type, subscriber_id, verdict, detail FROM delivery_events WHERE provider = $1 ORDER BY id`,
      [provider],
    );

  it('offers the mailto next to the one-click URL, and has bounces return to the inbound domain', () => {
    const [reader] = readers;
    const mail = smtp.to(reader.email)[0];
    expect(headerOf(mail, 'List-Unsubscribe')).toBe(
      `<${app.url}/unsubscribe/${reader.token}/one-click?digest=${digestId}>, ` +
        `<mailto:unsubscribe+${reader.token}@${DOMAIN}?subject=unsubscribe%20${digestId}>`,
    );
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.envelopeFrom).toBe(`bounces@${DOMAIN}`);
  });

  it('SMTP: a 5.x.x DSN bounces the delivery and the subscriber; the same DSN again changes nothing', async () => {
    const raw = fixture('dsn-hard-bounce', readers[0]);
    await deliver(raw, `bounces@${DOMAIN}`);
    expect(await state(readers[0])).toEqual({ delivery: 'bounced', subscriber: 'bounced' });
    await deliver(raw, `bounces@${DOMAIN}`);
    expect(await providerEvents('dsn')).toEqual([
      {
        type: 'bounce',
        subscriber_id: readers[0].subscriberId,
        verdict: 'hard bounce: delivery bounced, subscriber bounced',
        detail: '5.1.1 SMTP; 550 5.1.1 <address>... User unknown',
      },
    ]);
  });

  it('SMTP: a 4.x.x DSN counts a soft bounce and leaves the subscriber on the list', async () => {
    await deliver(fixture('dsn-soft-bounce', readers[1]), `bounces@${DOMAIN}`);
    expect(await state(readers[1])).toEqual({ delivery: 'sent', subscriber: 'confirmed' });
    expect((await providerEvents('dsn'))[1]).toMatchObject({
      type: 'soft_bounce',
      verdict: 'soft bounce 1 of 3 in 30 days',
    });
  });

  it('SMTP: an ARF abuse report marks the delivery complained, unsubscribes and suppresses the reader', async () => {
    await deliver(fixture('arf-complaint', readers[2]), `abuse@${DOMAIN}`);
    expect(await state(readers[2])).toEqual({ delivery: 'complained', subscriber: 'unsubscribed' });
    expect(await unsubscribeEvents(readers[2])).toEqual([{ source: 'complaint:arf', digest_id: null }]);
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM suppressions WHERE reason = 'complaint'`,
    );
    expect(n).toBe(1);
  });

  it('SMTP: a mail to the List-Unsubscribe mailto unsubscribes its reader, for the digest its subject names', async () => {
    await deliver(
      fixture('unsubscribe-mailto', readers[3]),
      `unsubscribe+${readers[3].token}@${DOMAIN}`,
      readers[3].email,
    );
    expect(await state(readers[3])).toEqual({ delivery: 'sent', subscriber: 'unsubscribed' });
    expect(await unsubscribeEvents(readers[3])).toEqual([{ source: 'mailto', digest_id: digestId }]);
  });

  it('SMTP: refuses other domains and messages over INBOUND_MAX_BYTES, and takes other mail without acting on it', async () => {
    const raw = fixture('dsn-hard-bounce', readers[9]);
    await expect(deliver(raw, `bounces@elsewhere.example`)).rejects.toMatchObject({ responseCode: 550 });
    const huge = Buffer.concat([raw, Buffer.from(`${'x'.repeat(998)}\r\n`.repeat(20))]);
    await expect(deliver(huge, `bounces@${DOMAIN}`)).rejects.toMatchObject({ responseCode: 552 });
    await deliver(fixture('out-of-office', readers[9]), `bounces@${DOMAIN}`, readers[9].email);
    expect(await state(readers[9])).toEqual({ delivery: 'sent', subscriber: 'confirmed' });
  });

  it('IMAP: applies each report and unsubscribe once and deletes it; leaves other mail flagged seen', async () => {
    imap.append(fixture('dsn-hard-bounce', readers[4]));
    imap.append(fixture('arf-complaint', readers[5]));
    imap.append(fixture('unsubscribe-mailto', readers[6]));
    imap.append(fixture('out-of-office', readers[6]));
    imap.append(fixture('dsn-hard-bounce', readers[0])); // applied over SMTP already: a replay
    imap.append(fixture('dsn-soft-bounce', readers[9]));
    await waitFor(() => imap.messages.length === 1 && imap.messages[0].flags.has('\\Seen'), {
      what: 'the IMAP poll to work the mailbox off',
    });
    expect(imap.messages[0].raw.toString()).toContain('I am out of the office');
    expect(await state(readers[4])).toEqual({ delivery: 'bounced', subscriber: 'bounced' });
    expect(await state(readers[5])).toEqual({ delivery: 'complained', subscriber: 'unsubscribed' });
    expect(await state(readers[6])).toEqual({ delivery: 'sent', subscriber: 'unsubscribed' });
    expect(await unsubscribeEvents(readers[6])).toEqual([{ source: 'mailto', digest_id: digestId }]);
    expect((await providerEvents('dsn')).map((event: { type: string }) => event.type)).toEqual([
      'bounce',
      'soft_bounce',
      'bounce',
      'soft_bounce',
    ]);
    expect(await state(readers[9])).toEqual({ delivery: 'sent', subscriber: 'confirmed' });
    // Fetched without setting \Seen, deleted once applied.
    expect(imap.commands).toEqual(expect.arrayContaining(['UID SEARCH UNSEEN UNDELETED', 'EXPUNGE']));
    expect(imap.commands.some((command) => /^UID FETCH \d+ .*BODY\.PEEK\[\]/.test(command))).toBe(true);
  });

  it('counts unsubscribes per digest in its status and in /metrics, next to bounces and complaints', async () => {
    const [r7, r8, r9] = readers.slice(7);
    const form = (path: string) => request(app.http).post(path).type('form').send('List-Unsubscribe=One-Click');
    await form(`/unsubscribe/${r7.token}/one-click?digest=${digestId}`).expect(200);
    // A digest this reader was never sent, or no digest at all: unsubscribed all the same, counted for none.
    await form(`/unsubscribe/${r8.token}/one-click?digest=${randomUUID()}`).expect(200);
    expect(await state(r8)).toMatchObject({ subscriber: 'unsubscribed' });
    // From the body's link: the page, then the manage page, each keep the digest to the button.
    const html = async (path: string) => (await request(app.http).get(path).expect(200)).text.replaceAll('&#x3D;', '=');
    expect(await html(`/unsubscribe/${r9.token}?digest=${digestId}`)).toContain(
      `/manage/${r9.token}?digest=${digestId}`,
    );
    expect(await html(`/manage/${r9.token}?digest=${digestId}`)).toContain(
      `/manage/${r9.token}/unsubscribe?digest=${digestId}`,
    );
    await request(app.http).post(`/manage/${r9.token}/unsubscribe?digest=${digestId}`).expect(200);

    const { body } = await request(app.http)
      .get(`/admin/digests/${digestId}`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(body.deliveries).toMatchObject({
      counts: { bounced: 2, complained: 2, sent: 6 },
      bounceRate: 0.2,
      complaintRate: 0.2,
      unsubscribed: 4,
      unsubscribeRate: 0.4,
    });
    const metrics = (await request(app.http).get('/metrics').expect(200)).text;
    const of = (outcome: string) => ({ digest_id: digestId, outcome });
    expect(sample(metrics, 'tidings_digest_outcomes', of('unsubscribed'))).toBe(4);
    expect(sample(metrics, 'tidings_digest_outcomes', of('bounced'))).toBe(2);
    expect(sample(metrics, 'tidings_digest_outcome_rate', of('unsubscribed'))).toBe(0.4);
    expect(sample(metrics, 'tidings_inbound_mails_total', { kind: 'dsn' })).toBe(6);
    expect(sample(metrics, 'tidings_inbound_mails_total', { kind: 'arf' })).toBe(2);
    expect(sample(metrics, 'tidings_inbound_mails_total', { kind: 'unsubscribe' })).toBe(2);
    expect(sample(metrics, 'tidings_inbound_mails_total', { kind: 'ignored' })).toBe(2);
  });
});
