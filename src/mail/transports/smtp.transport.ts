import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import type { MailFailure } from '../mail-failure.js';
import { MailTransport } from '../mail-transport.js';
import { newMessageId } from '../message-id.js';
import type { OutgoingMail, RawMail, SentMail } from '../outgoing-mail.js';
import { nodemailerMessage } from './nodemailer-headers.js';
import { DKIM_HEADERS } from './raw-message-signer.js';
import { classifySmtpFailure } from './smtp-failure.js';

/** MAIL_TRANSPORT=smtp: a pooled nodemailer SMTP transport to SMTP_URL, signing with DKIM when configured. */
export class SmtpTransport extends MailTransport {
  readonly name = 'smtp';
  private readonly transport: Transporter;
  private readonly envelopeFrom: string;

  constructor(private readonly config: AppConfig['mail']) {
    super();
    const { url, poolSize } = config.smtp;
    // The configuration refuses MAIL_TRANSPORT=smtp without SMTP_URL; this only guards a wrong wiring.
    if (!url) throw new Error('the SMTP transport needs SMTP_URL');
    // With inbound mail read, bounces come back to our own bounce address, where the DSN reader sees them.
    this.envelopeFrom = config.returnPath ?? /<([^>]+)>/.exec(config.from)?.[1] ?? config.from;
    this.transport = nodemailer.createTransport({
      // One object: a second argument would be message defaults, and the pool would be ignored.
      url,
      // Signs every message, raw ones included; the header list covers what receivers check.
      ...(config.dkim ? { dkim: { ...config.dkim, headerFieldNames: DKIM_HEADERS } } : {}),
      pool: true,
      maxConnections: poolSize,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? newMessageId(this.config.senderDomain);
    const { returnPath } = this.config;
    const info = await this.transport.sendMail({
      ...nodemailerMessage(this.config.from, mail, messageId),
      ...(returnPath ? { envelope: { from: returnPath, to: mail.to } } : {}),
    });
    return { messageId, response: String(info.response ?? '') };
  }

  async sendRaw(mail: RawMail): Promise<SentMail> {
    const info = await this.transport.sendMail({ envelope: { from: this.envelopeFrom, to: [mail.to] }, raw: mail.raw });
    return { messageId: mail.messageId, response: String(info.response ?? '') };
  }

  classify(error: unknown): MailFailure {
    return classifySmtpFailure(error);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
