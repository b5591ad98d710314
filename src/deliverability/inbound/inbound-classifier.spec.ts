import { inboundFixture } from '../../../test/support/inbound-fixtures.js';
import { classifyInbound } from './inbound-classifier.js';
import { readInboundMail } from './inbound-mail.js';

const DOMAIN = 'inbound.example.org';
const TOKEN = 'Tok3n_with-dashes_0123456789abcdefghijklmno';
const DIGEST = '6f1c0a52-93a4-4c1e-9d51-2a7e6b0f4c11';
const values = {
  RECIPIENT: 'reader@example.net',
  ORIGINAL_MESSAGE_ID: 'k2Jx9QmB7d0aL3vN5rT8yW1zE4uH6iOp.digest@bhmpc.com',
  RETURN_PATH: `bounces@${DOMAIN}`,
  ABUSE_ADDRESS: `abuse@${DOMAIN}`,
  UNSUBSCRIBE_ADDRESS: `unsubscribe+${TOKEN}@${DOMAIN}`,
  SUBJECT: `unsubscribe ${DIGEST}`,
};

async function classify(raw: Buffer, envelope?: string[]) {
  return classifyInbound(await readInboundMail(raw, envelope), DOMAIN);
}

describe(classifyInbound.name, () => {
  it('reads a DSN with a 5.x.x status as a hard bounce of the returned message', async () => {
    const sut = await classify(inboundFixture('dsn-hard-bounce', values));
    expect(sut).toMatchObject({
      kind: 'report',
      provider: 'dsn',
      events: [
        {
          type: 'bounce',
          messageId: values.ORIGINAL_MESSAGE_ID,
          eventKey: '<202512021000.RAA14128@mx.example.net>:reader@example.net',
          detail: '5.1.1 SMTP; 550 5.1.1 <address>... User unknown',
        },
      ],
    });
  });

  it('reads a 4.x.x delay as a soft bounce, matched by its Original-Message-ID field', async () => {
    const raw = inboundFixture('dsn-soft-bounce', values);
    const sut = await classify(raw);
    expect(sut).toMatchObject({
      kind: 'report',
      provider: 'dsn',
      events: [
        { type: 'soft_bounce', messageId: values.ORIGINAL_MESSAGE_ID, detail: expect.stringMatching(/^4\.2\.2 /) },
      ],
    });
    // Without that field the returned headers (text/rfc822-headers) name the original all the same.
    const withoutField = Buffer.from(raw.toString().replace(/Original-Message-ID: .*\r\n/, ''));
    expect(await classify(withoutField)).toMatchObject({ events: [{ messageId: values.ORIGINAL_MESSAGE_ID }] });
  });

  it('gives each recipient of a DSN its own event and verdict', async () => {
    const raw = inboundFixture('dsn-hard-bounce', values)
      .toString()
      .replace(
        'Last-Attempt-Date: Tue, 2 Dec 2025 10:00:04 +0000\r\n',
        'Last-Attempt-Date: Tue, 2 Dec 2025 10:00:04 +0000\r\n\r\nFinal-Recipient: rfc822; other@example.net\r\nAction: delivered\r\nStatus: 2.0.0\r\n',
      );
    const sut = await classify(Buffer.from(raw));
    expect(sut.kind === 'report' && sut.events.map((event) => [event.eventKey.split(':').pop(), event.type])).toEqual([
      ['reader@example.net', 'bounce'],
      ['other@example.net', 'delivered'],
    ]);
  });

  it('reads an ARF abuse report as a complaint, matched by the inline returned message', async () => {
    const sut = await classify(inboundFixture('arf-complaint', values));
    expect(sut).toMatchObject({
      kind: 'report',
      provider: 'arf',
      events: [{ type: 'complaint', messageId: values.ORIGINAL_MESSAGE_ID, detail: 'abuse from SomeGenerator/1.0' }],
    });
  });

  it('records an ARF auth-failure or not-spam report without calling it a complaint', async () => {
    for (const feedbackType of ['auth-failure', 'not-spam']) {
      const raw = inboundFixture('arf-complaint', values)
        .toString()
        .replace('Feedback-Type: abuse', `Feedback-Type: ${feedbackType}`);
      expect(await classify(Buffer.from(raw))).toMatchObject({ kind: 'report', events: [{ type: 'other' }] });
    }
  });

  it('reads a mail to unsubscribe+<token>@ as an unsubscribe, with the digest its subject names', async () => {
    expect(await classify(inboundFixture('unsubscribe-mailto', values))).toEqual({
      kind: 'unsubscribe',
      token: TOKEN,
      digestId: DIGEST,
    });
    expect(await classify(inboundFixture('unsubscribe-mailto', { ...values, SUBJECT: 'Unsubscribe' }))).toEqual({
      kind: 'unsubscribe',
      token: TOKEN,
      digestId: undefined,
    });
  });

  it('takes the SMTP envelope over the headers, and refuses another domain or a malformed token', async () => {
    const mail = inboundFixture('unsubscribe-mailto', { ...values, UNSUBSCRIBE_ADDRESS: `someone@${DOMAIN}` });
    expect(await classify(mail)).toMatchObject({ kind: 'ignored' });
    expect(await classify(mail, [`unsubscribe+${TOKEN}@${DOMAIN}`])).toMatchObject({
      kind: 'unsubscribe',
      token: TOKEN,
    });
    expect(await classify(mail, [`unsubscribe+${TOKEN}@elsewhere.example`])).toMatchObject({ kind: 'ignored' });
    expect(await classify(mail, [`unsubscribe+short@${DOMAIN}`])).toMatchObject({ kind: 'ignored' });
  });

  it('ignores an automatic reply, which is neither a report nor an unsubscribe', async () => {
    expect(await classify(inboundFixture('out-of-office', values))).toEqual({
      kind: 'ignored',
      reason: 'neither a report nor an unsubscribe',
    });
  });
});
