import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import type { OutgoingMail } from '../outgoing-mail.js';
import { nodemailerMessage } from './nodemailer-headers.js';

/** The headers our DKIM signature covers, whichever transport sends: what receivers check. */
export const DKIM_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post:Feedback-ID';

/**
 * Builds and DKIM-signs messages to the byte without sending them, for API transports that take
 * raw MIME (SES): the same nodemailer builder and signer as the SMTP path, so a copy carries the
 * same headers and signature whichever provider carries it.
 */
export class RawMessageSigner {
  private readonly stream: Transporter;

  constructor(private readonly config: AppConfig['mail']) {
    this.stream = nodemailer.createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'windows',
      ...(config.dkim ? { dkim: { ...config.dkim, headerFieldNames: DKIM_HEADERS } } : {}),
    } as never);
  }

  /** A message given as parts, built and signed. */
  async build(mail: OutgoingMail, messageId: string): Promise<Buffer> {
    const info = await this.stream.sendMail(nodemailerMessage(this.config, mail, messageId));
    return info.message as Buffer;
  }

  /** A message already built, with `extraHeaders` put first (before signing) when it lacks them. */
  async sign(raw: Buffer, to: string, extraHeaders: Record<string, string> = {}): Promise<Buffer> {
    const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('latin1');
    const missing = Object.entries(extraHeaders).filter(([name]) => !new RegExp(`^${name}:`, 'im').test(head));
    const prefix = missing.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const info = await this.stream.sendMail({
      envelope: { from: this.config.from, to: [to] },
      raw: prefix ? Buffer.concat([Buffer.from(prefix, 'latin1'), raw]) : raw,
    });
    return info.message as Buffer;
  }

  close(): void {
    this.stream.close();
  }
}
