import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import { DkimSigner } from '../dkim-signer.js';
import type { OutgoingMail } from '../outgoing-mail.js';
import { nodemailerMessage } from './nodemailer-headers.js';

/**
 * Builds and DKIM-signs messages to the byte without sending them: the one place every transport
 * that carries raw MIME (SMTP, SES) gets its bytes from, so a copy carries the same headers and
 * signature whichever way it goes. Without a DKIM key the messages go out unsigned.
 */
export class RawMessageSigner {
  private readonly stream: Transporter;
  private readonly dkim?: DkimSigner;

  constructor(private readonly config: AppConfig['mail']) {
    this.stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    if (config.dkim) this.dkim = new DkimSigner(config.dkim);
  }

  /** A message given as parts, built and signed. */
  async build(mail: OutgoingMail, messageId: string): Promise<Buffer> {
    const info = await this.stream.sendMail(nodemailerMessage(this.config, mail, messageId));
    return this.signed(info.message as Buffer);
  }

  /** A message already built, with `extraHeaders` put first (before signing) when it lacks them. */
  sign(raw: Buffer, extraHeaders: Record<string, string> = {}): Buffer {
    const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('latin1');
    const missing = Object.entries(extraHeaders).filter(([name]) => !new RegExp(`^${name}:`, 'im').test(head));
    const prefix = missing.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    return this.signed(prefix ? Buffer.concat([Buffer.from(prefix, 'latin1'), raw]) : raw);
  }

  private signed(raw: Buffer): Buffer {
    return this.dkim ? this.dkim.sign(raw) : raw;
  }

  close(): void {
    this.stream.close();
  }
}
