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
    await mkdir(this.directory, { recursive: true });
    const file = path.join(this.directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${messageId.split('@')[0]}.eml`);
    await writeFile(file, info.message as Buffer);
    return { messageId, response: `written to ${file}` };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
