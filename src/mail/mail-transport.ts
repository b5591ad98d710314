import type { MailFailure } from './mail-failure.js';
import type { OutgoingMail, RawMail, SentMail } from './outgoing-mail.js';

/**
 * Where mail goes: one implementation per provider under `transports/`, chosen by
 * MAIL_TRANSPORT and injected by this class. Callers never look at a provider's own errors:
 * they hand them back to `classify`, which says whether to retry, give up, or stop mailing the
 * address.
 */
export abstract class MailTransport {
  /** The MAIL_TRANSPORT value that selects this transport. */
  abstract readonly name: string;

  /** Builds the MIME message from its parts (From is the transport's) and sends it. */
  abstract send(mail: OutgoingMail): Promise<SentMail>;

  /**
   * Sends a message already built to the byte: the digest's fast path, which skips a MIME build
   * per copy. Optional: a provider whose API only takes parts leaves it out, and callers fall
   * back to `send` with the same headers.
   */
  sendRaw?(mail: RawMail): Promise<SentMail>;

  /** Sorts an error thrown by `send` or `sendRaw`. Never throws. */
  abstract classify(error: unknown): MailFailure;

  /** Releases connections; called once at shutdown. */
  abstract close(): Promise<void>;
}
