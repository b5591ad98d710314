import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import nodemailer from 'nodemailer';
import { DkimSigner } from './dkim-signer.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signer = new DkimSigner({
  domainName: 'bhmpc.com',
  keySelector: 'tidings2026',
  privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
/** mailauth, an independent verifier, looks the key up in DNS: this answers for our selector only. */
const publicKeyRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const resolver = async (name: string) => {
  if (name !== 'tidings2026._domainkey.bhmpc.com')
    throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
  return [[publicKeyRecord]];
};

async function message(): Promise<Buffer> {
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await stream.sendMail({
    from: 'Black Hawk <news@bhmpc.com>',
    to: 'reader@example.com',
    subject: 'This week   at  Black Hawk',
    text: 'Hello  \r\nworld\t\r\n\r\n\r\n',
    html: '<p>Hello world</p>',
    headers: {
      'List-Unsubscribe': '<https://news.bhmpc.com/unsubscribe/abc/one-click>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
  return info.message as Buffer;
}

async function verdict(raw: Buffer): Promise<string> {
  const { results } = await dkimVerify(raw, { resolver });
  return results[0]?.status?.result ?? 'none';
}

/** The message with `header` inserted at the top (as a forwarder would prepend) or just above the body. */
function withHeader(raw: Buffer, header: string, where: 'top' | 'bottom'): Buffer {
  const text = raw.toString('latin1');
  if (where === 'top') return Buffer.from(`${header}\r\n${text}`, 'latin1');
  const split = text.indexOf('\r\n\r\n');
  return Buffer.from(`${text.slice(0, split)}\r\n${header}${text.slice(split)}`, 'latin1');
}

describe('DkimSigner', () => {
  it('signs so that an independent verifier (mailauth) passes the message', async () => {
    const signed = signer.sign(await message());
    expect(await verdict(signed)).toBe('pass');
  });

  it('oversigns From, Subject, List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const signed = signer.sign(await message()).toString('latin1');
    const h = /\bh=([^;]+);/.exec(signed.slice(0, signed.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ''))![1];
    const names = h.replace(/\s/g, '').toLowerCase().split(':');
    for (const name of ['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post'])
      expect(names.filter((n) => n === name)).toHaveLength(2);
    expect(names.filter((n) => n === 'to')).toHaveLength(1);
  });

  it.each([
    ['From: Attacker <ceo@bhmpc.com>', 'top'],
    ['From: Attacker <ceo@bhmpc.com>', 'bottom'],
    ['Subject: Urgent: wire transfer', 'top'],
    ['List-Unsubscribe: <https://evil.example/u>', 'bottom'],
    ['List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'top'],
  ] as const)('fails verification when a copy of a signed header is added: %s (%s)', async (header, where) => {
    const signed = signer.sign(await message());
    expect(await verdict(withHeader(signed, header, where))).toBe('fail');
  });

  it('still passes when an unsigned header is added on the way (Received)', async () => {
    const signed = signer.sign(await message());
    expect(await verdict(withHeader(signed, 'Received: from relay.example by mx.example', 'top'))).toBe('pass');
  });

  // mailauth reports a body hash mismatch as "neutral" (RFC 8601's word for a signature that does not verify).
  it('does not pass when the body is changed', async () => {
    const signed = signer
      .sign(await message())
      .toString('latin1')
      .replace('Hello world', 'Hello there');
    expect(await verdict(Buffer.from(signed, 'latin1'))).toBe('neutral');
  });
});
