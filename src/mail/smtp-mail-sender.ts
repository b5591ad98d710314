import nodemailer, { type Transporter } from 'nodemailer';
import { MailSender } from './mail-sender.js';
import { newMessageId } from './message-id.js';
import type { OutgoingMail, SentMail } from './outgoing-mail.js';

const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Id:List-Unsubscribe:List-Unsubscribe-Post';

/** Sends through a pooled nodemailer SMTP transport. */
export class SmtpMailSender extends MailSender {
  private readonly transport: Transporter;

  private readonly envelopeFrom: string;

  constructor(
    smtpUrl: string,
    poolSize: number,
    private readonly from: string,
    dkim?: { domainName: string; keySelector: string; privateKey: string },
  ) {
    super();
    this.envelopeFrom = /<([^>]+)>/.exec(from)?.[1] ?? from;
    this.transport = nodemailer.createTransport({
      // One object: a second argument would be message defaults, and the pool would be ignored.
      url: smtpUrl,
      // Signs every message, raw ones included; the header list covers what receivers check.
      ...(dkim ? { dkim: { ...dkim, headerFieldNames: DKIM_HEADERS } } : {}),
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

  async sendRaw(to: string, raw: Buffer): Promise<string> {
    const info = await this.transport.sendMail({ envelope: { from: this.envelopeFrom, to: [to] }, raw });
    return String(info.response ?? '');
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
