import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { waitFor } from './wait-for.js';

export interface ReceivedMail {
  /** MAIL FROM: where bounces of this mail go ('' for the null sender). */
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/** A header as it was sent (unfolded), read from the raw lines rather than mailparser's merged view. */
export function headerOf(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** An SMTP error to answer with: `{ code: 451, message: '...' }`. */
export type SmtpReply = { code: number; message: string } | undefined;

export interface SmtpSinkOptions {
  /** Decides the reply to each RCPT TO; undefined accepts it. */
  onRecipient?: (address: string) => SmtpReply;
}

/** A real SMTP server on loopback that keeps and parses what it receives. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 5 * 1024 * 1024,
      onRcptTo(address: SMTPServerAddress, _session, callback) {
        const reply = options.onRecipient?.(address.address);
        if (!reply) return callback();
        const error = new Error(reply.message) as Error & { responseCode: number };
        error.responseCode = reply.code;
        callback(error);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          // A message the parser refuses is answered with an SMTP error rather than left hanging.
          simpleParser(raw).then((parsed) => {
            sink.received.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
          }, callback);
        });
      },
    });
    // A client killed mid-session (the SIGKILL test) resets its connection: expected, not a failure.
    sink.server.on('error', () => undefined);
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Mail whose envelope names `address`, and whose subject matches `subject` when given. */
  to(address: string, subject?: RegExp): ReceivedMail[] {
    return this.received.filter(
      (mail) => mail.envelopeTo.includes(address) && (!subject || subject.test(mail.parsed.subject ?? '')),
    );
  }

  /** At least `count` mails to `address` (of one kind, with `subject`: a confirmation is followed by a welcome). */
  async waitForMail(address: string, count = 1, subject?: RegExp): Promise<ReceivedMail[]> {
    return waitFor(() => (this.to(address, subject).length >= count ? this.to(address, subject) : null), {
      what: `${count} mail(s) to ${address}${subject ? ` with a subject like ${String(subject)}` : ''}`,
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
