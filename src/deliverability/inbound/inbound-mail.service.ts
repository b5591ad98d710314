import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics-registry.js';
import { AppConfig } from '../../config/app-config.js';
import { UnsubscribeService } from '../../subscribers/unsubscribe.service.js';
import { DeliveryEventsService } from '../delivery-events.service.js';
import { classifyInbound, type InboundVerdict } from './inbound-classifier.js';
import { readInboundMail } from './inbound-mail.js';

const KINDS = ['dsn', 'arf', 'unsubscribe', 'ignored'] as const;
export type InboundKind = (typeof KINDS)[number];

/** What became of one inbound mail: `ignored` mail is left for a person (IMAP), the rest is done with. */
export interface InboundOutcome {
  kind: InboundKind;
  /** For the log: the verdicts, never an address or a token. */
  summary: string;
}

/** A mailto unsubscribe has no browser behind it: nothing to record as its address or user agent. */
const NO_CONTEXT = { ip: null, userAgent: null };

/**
 * Applies one mail that came back, whichever way it came (the SMTP listener or the IMAP
 * mailbox): reports become provider events in the webhooks' pipeline (matched, applied, kept with
 * their verdict; a mail seen twice acts once), an unsubscribe mail goes through UnsubscribeService
 * with the token its address carries. Throws only when the outcome could not be recorded (the
 * database is away), so that the sender retries or the message stays in the mailbox.
 */
@Injectable()
export class InboundMailService {
  private readonly logger = new Logger(InboundMailService.name);
  private readonly received: Counter<'kind'>;

  constructor(
    private readonly events: DeliveryEventsService,
    private readonly unsubscribes: UnsubscribeService,
    private readonly config: AppConfig,
    { registry }: MetricsRegistry,
  ) {
    this.received = new Counter({
      name: 'tidings_inbound_mails_total',
      help: 'Mails received back (SMTP listener or IMAP mailbox), by what they were',
      labelNames: ['kind'],
      registers: [registry],
    });
    // Every kind is exported from the start, at 0, so a rate over it has a baseline.
    for (const kind of KINDS) this.received.inc({ kind }, 0);
  }

  async receive(raw: Buffer, envelopeRecipients: string[] = []): Promise<InboundOutcome> {
    // Named in the log by a hash: a Message-ID may carry the reader's domain, the address carries a token.
    const ref = createHash('sha256').update(raw).digest('hex').slice(0, 12);
    const verdict = await this.classify(raw, envelopeRecipients);
    const outcome = await this.apply(verdict);
    this.received.inc({ kind: outcome.kind });
    this.logger.log(`inbound mail ${ref}: ${outcome.kind}: ${outcome.summary}`);
    return outcome;
  }

  private async classify(raw: Buffer, envelopeRecipients: string[]): Promise<InboundVerdict> {
    try {
      return classifyInbound(await readInboundMail(raw, envelopeRecipients), this.config.inbound.domain ?? '');
    } catch (error) {
      // A message the parser cannot read will not read better on a retry.
      return { kind: 'ignored', reason: `unreadable (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  private async apply(verdict: InboundVerdict): Promise<InboundOutcome> {
    switch (verdict.kind) {
      case 'report': {
        const verdicts = await this.events.receive(verdict.provider, verdict.events);
        return { kind: verdict.provider, summary: verdicts.join('; ') };
      }
      case 'unsubscribe': {
        const known = await this.unsubscribes.unsubscribe(verdict.token, 'mailto', NO_CONTEXT, verdict.digestId);
        return { kind: 'unsubscribe', summary: known ? 'subscriber unsubscribed' : 'unknown unsubscribe address' };
      }
      case 'ignored':
        return { kind: 'ignored', summary: verdict.reason };
    }
  }
}
