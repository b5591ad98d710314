import { simpleParser } from 'mailparser';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { OutboxTransport } from './outbox.transport.js';

describe(OutboxTransport.name, () => {
  let sut: OutboxTransport;

  beforeEach(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tidings-outbox-'));
    sut = new OutboxTransport(loadConfig({ OUTBOX_DIR: dir }).mail);
  });

  afterEach(async () => {
    await sut.close();
    await rm(sut.directory, { recursive: true, force: true });
  });

  it('writes a message built from parts as an .eml file, with our headers as written', async () => {
    const sent = await sut.send({
      to: 'subscriber@example.com',
      subject: 'Please confirm — Zoë',
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: {
        'List-Id': '"BHM Healthcare weekly digest" <weekly.bhmpc.com>',
        'List-Unsubscribe': '<https://news.example.com/u/t/one-click>',
      },
    });
    expect(sent.messageId).toMatch(/@bhmpc\.com$/);
    const [file] = await readdir(sut.directory);
    expect(sent.response).toBe(`written to ${path.join(sut.directory, file)}`);
    const mail = await simpleParser(await readFile(path.join(sut.directory, file)));
    expect(mail.subject).toBe('Please confirm — Zoë');
    expect(mail.messageId).toBe(`<${sent.messageId}>`);
    // Not MIME-encoded: a List-Id in an encoded word is no list id to a mailbox provider.
    expect(mail.headerLines.find((h) => h.key === 'list-id')?.line).toMatch(
      /^List-Id: "BHM Healthcare weekly digest" <weekly\.bhmpc\.com>$/i,
    );
  });

  it('writes raw bytes untouched and reports the message id it was given', async () => {
    const raw = Buffer.from(
      'From: a@bhmpc.com\r\nTo: b@example.com\r\nMessage-ID: <m1@bhmpc.com>\r\nSubject: raw\r\n\r\nbody\r\n',
    );
    const sent = await sut.sendRaw({ to: 'b@example.com', messageId: 'm1@bhmpc.com', raw });
    expect(sent.messageId).toBe('m1@bhmpc.com');
    const [file] = await readdir(sut.directory);
    expect(await readFile(path.join(sut.directory, file))).toEqual(raw);
  });

  it('calls every failure temporary: a full disk or a permission can be fixed while the job waits', () => {
    expect(sut.classify(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))).toEqual({
      kind: 'temporary',
      code: null,
      reason: 'ENOSPC: no space left on device',
    });
    expect(sut.classify(undefined)).toEqual({ kind: 'temporary', code: null, reason: 'unknown error' });
  });
});
