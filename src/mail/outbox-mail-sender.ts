import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { MailSender } from './mail-sender.js';
import { newMessageId } from './message-id.js';
import type { OutgoingMail, SentMail } from './outgoing-mail.js';

/** Development stand-in for SMTP: each message becomes a .eml file that any mail client opens. */
export class OutboxMailSender extends MailSender {
  private readonly transport: Transporter;

  constructor(
    readonly directory: string,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? newMessageId(this.from);
    const info = await this.transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
      messageId: `<${messageId}>`,
    });
    return { messageId, response: `written to ${await this.write(info.message as Buffer, messageId.split('@')[0])}` };
  }

  async sendRaw(to: string, raw: Buffer): Promise<string> {
    return `written to ${await this.write(raw, to.replace(/[^A-Za-z0-9.@_-]/g, '_'))}`;
  }

  private async write(message: Buffer, name: string): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const file = path.join(this.directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}-${randomBytes(3).toString('hex')}.eml`);
    await writeFile(file, message);
    return file;
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
