import type { OutgoingMail, SentMail } from './outgoing-mail.js';

/**
 * Where mail goes. Injected by this abstract class: SMTP in production, an outbox folder of
 * .eml files in development when no SMTP_URL is set.
 */
export abstract class MailSender {
  abstract send(mail: OutgoingMail): Promise<SentMail>;
  /** Sends a message already built to the byte (the digest fast path); `to` is the envelope subscriber. */
  abstract sendRaw(to: string, raw: Buffer): Promise<string>;
  abstract close(): Promise<void>;
}
