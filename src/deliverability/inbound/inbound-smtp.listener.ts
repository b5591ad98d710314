import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { AppConfig } from '../../config/app-config.js';
import { ProcessRole } from '../../config/process-role.js';
import { InboundMailService } from './inbound-mail.service.js';

type SmtpCallback = (error?: Error | null) => void;

/** An SMTP reply to refuse with: smtp-server answers with the error's responseCode and message. */
function reply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The built-in SMTP listener for INBOUND_DOMAIN, run behind the operator's MX (which does TLS,
 * spam filtering and the public port). It relays nothing: a recipient outside the domain is
 * refused at RCPT, a message over INBOUND_MAX_BYTES at DATA. A message is answered 250 once
 * recorded, and 451 when it could not be (the database is away), so the MX keeps it and retries.
 *
 * It runs in processes that run the queue workers, like every other background job; the web
 * process (RUN_WORKERS=false) keeps to HTTP. With several workers on one host only the first can
 * have the port: the others say so once and go on without it.
 */
@Injectable()
export class InboundSmtpListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(InboundSmtpListener.name);
  private server?: SMTPServer;

  constructor(
    private readonly config: AppConfig,
    private readonly role: ProcessRole,
    private readonly inbound: InboundMailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { smtp, domain, maxBytes } = this.config.inbound;
    if (!smtp || !domain || !this.role.workers) return;
    const server = new SMTPServer({
      name: domain,
      banner: 'Tidings inbound mail',
      logger: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      size: maxBytes,
      maxClients: 50,
      closeTimeout: 5_000,
      onRcptTo: (address, _session, callback) => this.recipient(address, domain, callback),
      onData: (stream, session, callback) => this.data(stream, session, callback),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(smtp.port, smtp.host, () => resolve());
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      this.logger.warn(
        `inbound SMTP: ${smtp.host}:${smtp.port} is taken (another worker on this host, or an MTA); this process does not listen`,
      );
      return;
    }
    // A client that drops its connection, or a bad command: the session ends, the listener stays.
    server.on('error', (error) => this.logger.warn(`inbound SMTP: ${error.message}`));
    this.server = server;
    this.logger.log(`inbound SMTP for ${domain} on ${smtp.host}:${smtp.port}`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private recipient(address: SMTPServerAddress, domain: string, callback: SmtpCallback): void {
    const at = address.address.lastIndexOf('@');
    if (at > 0 && address.address.slice(at + 1).toLowerCase() === domain) return callback();
    callback(reply(550, `5.7.1 this server accepts mail for ${domain} only`));
  }

  private data(stream: SMTPServerDataStream, session: SMTPServerSession, callback: SmtpCallback): void {
    void read(stream, this.config.inbound.maxBytes).then(async (raw) => {
      if (stream.sizeExceeded)
        return callback(reply(552, `5.3.4 message larger than ${this.config.inbound.maxBytes} bytes`));
      try {
        await this.inbound.receive(
          raw,
          session.envelope.rcptTo.map((recipient) => recipient.address),
        );
        callback();
      } catch (error) {
        this.logger.warn(`inbound SMTP: message not recorded, asked to retry: ${(error as Error).message}`);
        callback(reply(451, '4.3.0 could not record the message now; try again later'));
      }
    }, callback);
  }
}

/** The whole message, or as much as the limit: past it the stream is drained (smtp-server flags it) and not kept. */
async function read(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
