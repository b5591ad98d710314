import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import { type MailFailure, redactAddresses } from '../mail-failure.js';
import { MailTransport } from '../mail-transport.js';
import { newMessageId } from '../message-id.js';
import type { OutgoingMail, RawMail, SentMail } from '../outgoing-mail.js';
import { nodemailerMessage } from './nodemailer-headers.js';

/** MAIL_TRANSPORT=outbox, for development: each message becomes a .eml file in OUTBOX_DIR that any mail client opens. */
export class OutboxTransport extends MailTransport {
  readonly name = 'outbox';
  readonly directory: string;
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig['mail']) {
    super();
    this.directory = path.resolve(config.outbox.dir);
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? newMessageId(this.config.senderDomain);
    const info = await this.transport.sendMail(nodemailerMessage(this.config, mail, messageId));
    return { messageId, response: `written to ${await this.write(info.message as Buffer, messageId.split('@')[0])}` };
  }

  async sendRaw(mail: RawMail): Promise<SentMail> {
    return {
      messageId: mail.messageId,
      response: `written to ${await this.write(mail.raw, mail.to.replace(/[^A-Za-z0-9.@_-]/g, '_'))}`,
    };
  }

  /** A full disk or a missing permission may be fixed while the job waits: always worth a retry. */
  classify(error: unknown): MailFailure {
    const failure = error as { code?: unknown; message?: unknown };
    const reason =
      redactAddresses([failure?.code, failure?.message].filter(Boolean).join(': ')).slice(0, 1000) || 'unknown error';
    return { kind: 'temporary', code: null, reason };
  }

  private async write(message: Buffer, name: string): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const file = path.join(
      this.directory,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}-${randomBytes(3).toString('hex')}.eml`,
    );
    await writeFile(file, message);
    return file;
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
