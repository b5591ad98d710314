import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import type { MailFailure } from '../mail-failure.js';
import { MailTransport } from '../mail-transport.js';
import { newMessageId } from '../message-id.js';
import type { OutgoingMail, RawMail, SentMail } from '../outgoing-mail.js';
import { RawMessageSigner } from './raw-message-signer.js';
import { classifySmtpFailure } from './smtp-failure.js';

/**
 * MAIL_TRANSPORT=smtp: a pooled nodemailer SMTP transport to SMTP_URL. Every message is built (and
 * DKIM-signed when configured) by `RawMessageSigner` and handed over as raw bytes, because the
 * signature oversigns headers, which nodemailer's own signer cannot.
 */
export class SmtpTransport extends MailTransport {
  readonly name = 'smtp';
  private readonly transport: Transporter;
  private readonly envelopeFrom: string;
  private readonly signer: RawMessageSigner;

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
      pool: true,
      maxConnections: poolSize,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
    this.signer = new RawMessageSigner(config);
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? newMessageId(this.config.senderDomain);
    const raw = await this.signer.build(mail, messageId);
    return this.deliver(mail.to, messageId, raw);
  }

  async sendRaw(mail: RawMail): Promise<SentMail> {
    return this.deliver(mail.to, mail.messageId, this.signer.sign(mail.raw));
  }

  private async deliver(to: string, messageId: string, raw: Buffer): Promise<SentMail> {
    const info = await this.transport.sendMail({ envelope: { from: this.envelopeFrom, to: [to] }, raw });
    return { messageId, response: String(info.response ?? '') };
  }

  classify(error: unknown): MailFailure {
    return classifySmtpFailure(error);
  }

  async close(): Promise<void> {
    this.transport.close();
    this.signer.close();
  }
}
