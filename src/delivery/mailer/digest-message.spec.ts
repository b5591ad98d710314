import { jest } from '@jest/globals';
import { type ParsedMail, simpleParser } from 'mailparser';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { DIGEST_PLACEHOLDERS } from '../../digests/digest-placeholders.js';
import type { MailFailure } from '../../mail/mail-failure.js';
import { MailTransport } from '../../mail/mail-transport.js';
import type { OutgoingMail, RawMail, SentMail } from '../../mail/outgoing-mail.js';
import { OutboxTransport } from '../../mail/transports/outbox.transport.js';
import { unsubscribeUrls } from '../../subscribers/unsubscribe-links.js';
import { DigestMessage } from './digest-message.js';
import { DigestMessageBuilder } from './digest-message-builder.js';

const config = loadConfig({ PUBLIC_URL: 'https://news.bhmpc.com', REPLY_TO: '"Zoë, the editor" <editor@bhmpc.com>' });
const READER = { address: 'subscriber@example.com', name: "Zoë O'Brien, MD" };
const UNSUB = DIGEST_PLACEHOLDERS.unsubscribeUrl;
const MANAGE = DIGEST_PLACEHOLDERS.manageUrl;
const DIGEST_ID = '5b0f7c2e-2f7a-4c3e-9d53-1f1e2d3c4b5a';

/**
 * A transport that only takes parts, as an API-only provider would (no sendRaw). It builds the
 * MIME with the outbox transport's `send`, the same nodemailer path as SMTP, and keeps the bytes.
 */
class PartsOnlyTransport extends MailTransport {
  readonly name = 'parts-only';
  readonly built: Buffer[] = [];

  constructor(private readonly inner: OutboxTransport) {
    super();
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const sent = await this.inner.send(mail);
    this.built.push(await readFile(sent.response.replace(/^written to /, '')));
    return { ...sent, providerMessageId: 'provider-1' };
  }

  classify(): MailFailure {
    return { kind: 'temporary', code: null, reason: 'never' };
  }

  async close(): Promise<void> {}
}

/** A transport that takes raw MIME, recording what it is handed. */
class RawTransport extends PartsOnlyTransport {
  readonly raws: RawMail[] = [];

  async sendRaw(mail: RawMail): Promise<SentMail> {
    this.raws.push(mail);
    return { messageId: mail.messageId, response: 'raw accepted' };
  }
}

/** Header name → value, as sent (unfolded), minus those each MIME builder chooses for itself. */
function listHeaders(mail: ParsedMail): Record<string, string> {
  const own = new Set(['content-type', 'content-transfer-encoding', 'date', 'mime-version']);
  return Object.fromEntries(
    mail.headerLines
      .filter((h) => !own.has(h.key))
      .map((h) => [
        h.key,
        h.line
          .slice(h.line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim(),
      ]),
  );
}

describe(DigestMessage.name, () => {
  let outbox: OutboxTransport;
  beforeAll(async () => {
    outbox = new OutboxTransport({
      ...config.mail,
      outbox: { dir: await mkdtemp(path.join(tmpdir(), 'tidings-digest-message-')) },
    });
  });
  afterAll(async () => {
    await outbox.close();
    await rm(outbox.directory, { recursive: true, force: true });
  });

  const builder = new DigestMessageBuilder(config);
  const MESSAGE_ID = builder.messageId('42', DIGEST_ID);
  const sut = () =>
    builder.message({
      subject: 'BHM Healthcare weekly: Prior authorization — what changes and 3 more',
      html: `<p>Zoë's week</p><a href="${UNSUB}">Unsubscribe</a> <a href="${MANAGE}">Manage</a>`,
      text: `Zoë's week\nUnsubscribe: ${UNSUB}\nManage: ${MANAGE}\n`,
    });
  const copy = () => builder.copy(READER, builder.messageId('42', DIGEST_ID), unsubscribeUrls(config, 'tok-42'));

  it('gives each delivery an opaque Message-ID, the same for a duplicate send, that does not show its sequence number', () => {
    expect(MESSAGE_ID).toMatch(/^[A-Za-z0-9_-]{32}\.digest@bhmpc\.com$/);
    expect(MESSAGE_ID).not.toContain('42');
    expect(builder.messageId('42', DIGEST_ID)).toBe(MESSAGE_ID);
    expect(builder.messageId('43', DIGEST_ID)).not.toBe(MESSAGE_ID);
  });

  it('hands the precompiled bytes to a transport that takes raw MIME', async () => {
    const transport = new RawTransport(outbox);
    const send = jest.spyOn(transport, 'send');
    const sent = await sut().send(transport, copy());
    expect(send).not.toHaveBeenCalled();
    expect(sent.messageId).toBe(MESSAGE_ID);
    const [raw] = transport.raws;
    expect(raw).toMatchObject({ to: 'subscriber@example.com', messageId: MESSAGE_ID });
    const mail = await simpleParser(raw.raw);
    expect(listHeaders(mail)).toEqual({
      from: 'BHM Healthcare Solutions <newsletter@bhmpc.com>',
      'reply-to': '=?UTF-8?Q?Zo=C3=AB=2C_the_editor?= <editor@bhmpc.com>',
      to: '=?UTF-8?Q?Zo=C3=AB_O=27Brien=2C_MD?= <subscriber@example.com>',
      subject: expect.stringContaining('=?UTF-8?Q?'),
      'message-id': `<${MESSAGE_ID}>`,
      'list-id': '"BHM Healthcare weekly digest" <weekly.bhmpc.com>',
      'list-archive': '<https://news.bhmpc.com/archive>',
      'list-unsubscribe': '<https://news.bhmpc.com/unsubscribe/tok-42/one-click>',
      'list-unsubscribe-post': 'List-Unsubscribe=One-Click',
    });
    expect(mail.text).toBe(
      "Zoë's week\nUnsubscribe: https://news.bhmpc.com/unsubscribe/tok-42\nManage: https://news.bhmpc.com/manage/tok-42\n",
    );
    expect(mail.to).toMatchObject({ value: [READER] });
    expect(mail.replyTo).toMatchObject({ value: [{ address: 'editor@bhmpc.com', name: 'Zoë, the editor' }] });
  });

  it('falls back to send when the transport has no sendRaw, with the same headers, parts and Message-ID', async () => {
    const raw = new RawTransport(outbox);
    await sut().send(raw, copy());
    const partsOnly = new PartsOnlyTransport(outbox);
    const sent = await sut().send(partsOnly, copy());
    expect(sent).toMatchObject({ messageId: MESSAGE_ID, providerMessageId: 'provider-1' });

    const [fromRaw, fromParts] = await Promise.all([simpleParser(raw.raws[0].raw), simpleParser(partsOnly.built[0])]);
    const { subject: rawSubject, to: rawTo, ...rawHeaders } = listHeaders(fromRaw);
    const { subject: partsSubject, to: partsTo, ...partsHeaders } = listHeaders(fromParts);
    expect(partsHeaders).toEqual(rawHeaders);
    // Each builder encodes these its own way; decoded, they are the same.
    expect([rawSubject, rawTo, partsSubject, partsTo].every(Boolean)).toBe(true);
    expect(fromParts.subject).toBe(fromRaw.subject);
    expect((fromParts.to as { text: string }).text).toBe((fromRaw.to as { text: string }).text);
    expect(fromParts.to).toMatchObject({ value: [READER] });
    expect(fromParts.replyTo).toEqual(fromRaw.replyTo);
    expect(fromParts.text?.trim()).toBe(fromRaw.text?.trim());
    expect(fromParts.html).toBe(fromRaw.html);
    expect(fromParts.html).toContain('href="https://news.bhmpc.com/unsubscribe/tok-42"');
    expect(fromParts.html).toContain('href="https://news.bhmpc.com/manage/tok-42"');
  });

  it('sends a subscriber who chose plain text a text/plain copy with no HTML part, raw or built', async () => {
    const textOnly = { ...copy(), textOnly: true };
    const raw = new RawTransport(outbox);
    await sut().send(raw, textOnly);
    const partsOnly = new PartsOnlyTransport(outbox);
    await sut().send(partsOnly, textOnly);
    for (const bytes of [raw.raws[0].raw, partsOnly.built[0]]) {
      const mail = await simpleParser(bytes);
      expect(mail.html).toBe(false);
      expect(mail.headers.get('content-type')).toMatchObject({ value: 'text/plain' });
      expect(mail.text?.trim()).toBe(
        "Zoë's week\nUnsubscribe: https://news.bhmpc.com/unsubscribe/tok-42\nManage: https://news.bhmpc.com/manage/tok-42",
      );
    }
  });
});
