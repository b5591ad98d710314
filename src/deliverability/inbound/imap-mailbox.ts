import { Injectable, Logger } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { AppConfig } from '../../config/app-config.js';
import { InboundMailService } from './inbound-mail.service.js';

/** Messages read in one poll at most: a backlog is worked off over a few polls, each job stays short. */
const PER_POLL = 200;

export interface PollResult {
  /** Reports and unsubscribes, applied and deleted from the mailbox. */
  processed: number;
  /** Mail that is neither, flagged \Seen and left for a person to read. */
  left: number;
}

/**
 * INBOUND_IMAP_URL: reads the mailbox's unseen messages, applies each, then deletes it (a report
 * or an unsubscribe, done with) or flags it \Seen (anything else, kept for a person), so no
 * message is applied twice. Fetching does not set \Seen (BODY.PEEK). A message whose outcome
 * could not be recorded stops the poll and stays unseen, for the next one. Should it be applied
 * twice all the same (two polls racing, a delete that failed), the second time is a replay.
 */
@Injectable()
export class ImapMailbox {
  private readonly logger = new Logger(ImapMailbox.name);

  constructor(
    private readonly config: AppConfig,
    private readonly inbound: InboundMailService,
  ) {}

  async poll(): Promise<PollResult> {
    const imap = this.config.inbound.imap;
    if (!imap) return { processed: 0, left: 0 };
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    // Without a listener a dropped connection would throw out of the event loop; the poll's own await fails instead.
    client.on('error', (error: Error) => this.logger.warn(`IMAP ${imap.host}: ${error.message}`));
    await client.connect();
    const result = { processed: 0, left: 0 };
    try {
      const lock = await client.getMailboxLock(imap.mailbox);
      try {
        const uids = (await client.search({ seen: false, deleted: false }, { uid: true })) || [];
        for (const uid of uids.slice(0, PER_POLL)) {
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (!message || !message.source) continue;
          const outcome =
            message.source.length > this.config.inbound.maxBytes
              ? { kind: 'ignored' }
              : await this.inbound.receive(message.source);
          if (outcome.kind === 'ignored') {
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            result.left++;
          } else {
            await client.messageDelete(String(uid), { uid: true });
            result.processed++;
          }
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return result;
  }
}
