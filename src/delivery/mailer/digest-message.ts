import {
  DIGEST_PLACEHOLDERS,
  type DigestPlaceholderName,
  type SubscriberValues,
} from '../../digests/digest-placeholders.js';
import { DigestPersonalizer } from '../../digests/digest-personalizer.js';
import type { Mailbox } from '../../config/mailbox.js';
import type { MailTransport } from '../../mail/mail-transport.js';
import type { OutgoingMail, SentMail } from '../../mail/outgoing-mail.js';
import { MimeTemplate } from './mime-template.js';

const NAMES = Object.keys(DIGEST_PLACEHOLDERS) as DigestPlaceholderName[];
const MARKERS = NAMES.map((name) => DIGEST_PLACEHOLDERS[name]);

export interface DigestMessageInput {
  from: string;
  replyTo?: Mailbox;
  subject: string;
  /** Rendered once per digest, with the per-subscriber placeholders still in it. */
  html: string;
  text: string;
  /** Headers shared by every copy (List-Id, List-Archive). */
  headers: Record<string, string>;
}

/** What differs from one copy to the next. */
export interface DigestCopy {
  to: string;
  /** The subscriber's name, when known, for the To header. */
  toName?: string | null;
  /** Without angle brackets. */
  messageId: string;
  values: SubscriberValues;
  /** Per-subscriber headers: List-Unsubscribe and List-Unsubscribe-Post. */
  headers: Record<string, string>;
  /** The subscriber asked for plain text only: the copy has no HTML part. */
  textOnly?: boolean;
}

/**
 * One digest as a message, built once and shared by every copy. A transport that takes raw MIME
 * gets the precompiled bytes; one that builds its own MIME gets the same parts and the same
 * headers, so a copy carries the same list headers whichever transport sends it.
 */
export class DigestMessage {
  private template?: MimeTemplate;
  private textTemplate?: MimeTemplate;
  private personalizer?: DigestPersonalizer;

  constructor(private readonly input: DigestMessageInput) {}

  get subject(): string {
    return this.input.subject;
  }

  /** Sends one copy: raw bytes when the transport takes them, parts and headers otherwise. */
  send(transport: MailTransport, copy: DigestCopy): Promise<SentMail> {
    if (transport.sendRaw) return transport.sendRaw({ to: copy.to, messageId: copy.messageId, raw: this.raw(copy) });
    return transport.send(this.mail(copy));
  }

  raw(copy: DigestCopy, date?: Date): Buffer {
    const template = copy.textOnly
      ? (this.textTemplate ??= new MimeTemplate({ ...this.input, html: null, placeholders: MARKERS }))
      : (this.template ??= new MimeTemplate({ ...this.input, placeholders: MARKERS }));
    return template.render({
      to: copy.to,
      toName: copy.toName,
      messageId: copy.messageId,
      values: NAMES.map((name) => copy.values[name]),
      headers: copy.headers,
      date,
    });
  }

  mail(copy: DigestCopy): OutgoingMail {
    this.personalizer ??= new DigestPersonalizer(this.input.html, this.input.text);
    const parts = this.personalizer.forSubscriber(copy.values);
    return {
      to: copy.to,
      toName: copy.toName,
      messageId: copy.messageId,
      subject: this.input.subject,
      ...(copy.textOnly ? {} : { html: parts.html }),
      text: parts.text,
      headers: { ...this.input.headers, ...copy.headers },
    };
  }
}
