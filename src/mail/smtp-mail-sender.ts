import nodemailer, { type Transporter } from 'nodemailer';
import { MailSender } from './mail-sender.js';
import { newMessageId } from './message-id.js';
import type { OutgoingMail, SentMail } from './outgoing-mail.js';

/** Sends through a pooled nodemailer SMTP transport. */
export class SmtpMailSender extends MailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    poolSize: number,
    private readonly from: string,
  ) {
    super();
    this.transport = nodemailer.createTransport(smtpUrl, {
      pool: true,
      maxConnections: poolSize,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
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
    return { messageId, response: String(info.response ?? '') };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
