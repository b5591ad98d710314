import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { randomBytes } from 'node:crypto';
import type { Mailbox } from '../../config/mailbox.js';
import { formatMailbox } from '../../mail/mailbox-header.js';
import { escapeHtml, splitAtPlaceholders } from '../../rendering/placeholders.js';

export interface MimeTemplateInput {
  from: string;
  replyTo?: Mailbox;
  subject: string;
  /** Rendered once per digest, with the per-subscriber placeholders still in it; null for a text-only message. */
  html: string | null;
  text: string;
  /** The placeholder strings, in the order `render` receives their values. */
  placeholders: readonly string[];
  /** Headers shared by every copy (List-Id, List-Unsubscribe-Post...). */
  headers: Record<string, string>;
}

export interface PersonalParts {
  to: string;
  /** The subscriber's name, for the To header. */
  toName?: string | null;
  messageId: string;
  /** Plain values for the placeholders; the HTML part gets them escaped. */
  values: readonly string[];
  /** Per-subscriber headers (List-Unsubscribe). */
  headers: Record<string, string>;
  date?: Date;
}

const CRLF = '\r\n';
const SOFT_BREAK = Buffer.from(`=${CRLF}`);
// One short of RFC 2045's 76, leaving room for the soft break that joins a segment to the next.
const QP_LINE = 75;

const qp = (value: string) => Buffer.from(qpWrap(qpEncode(value.replace(/\r?\n/g, CRLF)), QP_LINE), 'latin1');
const header = (name: string, value: string) => foldLines(`${name}: ${value}`, 76) + CRLF;

/** A body part split on its placeholders: encoded static segments, values encoded per subscriber. */
class EncodedPart {
  private readonly segments: Buffer[];
  /** Which placeholder fills each gap between segments. */
  readonly order: number[];

  constructor(
    source: string,
    placeholders: readonly string[],
    private readonly escape: (value: string) => string,
  ) {
    const { parts, slots } = splitAtPlaceholders(source, placeholders);
    this.order = slots;
    this.segments = parts.map(qp);
  }

  chunks(values: readonly string[]): Buffer[] {
    const out: Buffer[] = [this.segments[0]];
    for (let i = 0; i < this.order.length; i++) {
      out.push(SOFT_BREAK, qp(this.escape(values[this.order[i]])), SOFT_BREAK, this.segments[i + 1]);
    }
    return out;
  }
}

/**
 * A digest compiled once into the bytes of a MIME message, so that each subscriber's copy costs a
 * few string encodings and one buffer concatenation instead of a full nodemailer build (about
 * 10 ms of CPU for a 50 KB digest). Parts are quoted-printable: every static segment is encoded
 * once, and a soft line break on each side of a per-subscriber value keeps the encoding valid.
 */
export class MimeTemplate {
  private readonly head: Buffer;
  private readonly text: EncodedPart;
  private readonly html: EncodedPart | null;
  private readonly textHead: Buffer;
  private readonly htmlHead: Buffer;
  private readonly tail: Buffer;

  constructor(input: MimeTemplateInput) {
    const boundary = `----tidings-${randomBytes(12).toString('hex')}`;
    this.head = Buffer.from(
      header('From', input.from) +
        (input.replyTo ? header('Reply-To', formatMailbox(input.replyTo)) : '') +
        header('Subject', encodeWords(input.subject.replace(/[\r\n]+/g, ' '), 'Q', 52)) +
        header('MIME-Version', '1.0') +
        Object.entries(input.headers)
          .map(([name, value]) => header(name, value))
          .join('') +
        (input.html === null
          ? header('Content-Type', 'text/plain; charset=utf-8') +
            header('Content-Transfer-Encoding', 'quoted-printable')
          : header('Content-Type', `multipart/alternative; boundary="${boundary}"`)),
    );
    const partHead = (type: string) =>
      `${CRLF}--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
    this.textHead = Buffer.from(partHead('text/plain'));
    this.htmlHead = Buffer.from(partHead('text/html'));
    this.tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`);
    this.text = new EncodedPart(input.text, input.placeholders, (v) => v);
    this.html = input.html === null ? null : new EncodedPart(input.html, input.placeholders, escapeHtml);
  }

  render(parts: PersonalParts): Buffer {
    const personal =
      header('To', formatMailbox({ address: parts.to, name: parts.toName ?? undefined })) +
      header('Date', (parts.date ?? new Date()).toUTCString().replace('GMT', '+0000')) +
      header('Message-ID', `<${parts.messageId}>`) +
      Object.entries(parts.headers)
        .map(([name, value]) => header(name, value))
        .join('');
    if (!this.html) return Buffer.concat([this.head, Buffer.from(personal + CRLF), ...this.text.chunks(parts.values)]);
    return Buffer.concat([
      this.head,
      Buffer.from(personal + CRLF + 'This is a multi-part message in MIME format.' + CRLF),
      this.textHead,
      ...this.text.chunks(parts.values),
      this.htmlHead,
      ...this.html.chunks(parts.values),
      this.tail,
    ]);
  }
}
