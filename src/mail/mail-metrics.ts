import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { MAIL_FAILURE_KINDS } from './mail-failure.js';
import { MailTransport } from './mail-transport.js';

export type MailKind = 'confirmation' | 'welcome' | 'email-change' | 'digest';
const KINDS: MailKind[] = ['confirmation', 'welcome', 'email-change', 'digest'];

/**
 * Mail counters for every sender to share. `measure` wraps one send; the counters are public
 * for a sender that learns the outcome some other way (a bounce reported later).
 */
@Injectable()
export class MailMetrics {
  readonly sent: Counter<'kind'>;
  readonly failed: Counter<'kind' | 'reason'>;
  readonly sendDuration: Histogram<'kind'>;

  constructor(
    { registry }: MetricsRegistry,
    private readonly transport: MailTransport,
  ) {
    this.sent = new Counter({
      name: 'tidings_mails_sent_total',
      help: 'Mails accepted by the mail transport',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'tidings_mails_failed_total',
      help: 'Send attempts that failed; a retried mail counts once per failed attempt',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    });
    this.sendDuration = new Histogram({
      name: 'tidings_send_duration_seconds',
      help: 'Time to hand one mail to the mail transport',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    // Every series exists from the start at 0, so a rate() sees the first mail.
    for (const kind of KINDS) {
      this.sent.inc({ kind }, 0);
      for (const reason of MAIL_FAILURE_KINDS) this.failed.inc({ kind, reason }, 0);
    }
  }

  /**
   * Times one hand-over to the transport and counts its outcome: sent when `send` returns, failed
   * when it throws, sorted by the transport's own classifier. The error is rethrown as it was.
   */
  async measure<T>(kind: MailKind, send: () => Promise<T>): Promise<T> {
    const stop = this.sendDuration.startTimer({ kind });
    try {
      const result = await send();
      stop();
      this.sent.inc({ kind });
      return result;
    } catch (error) {
      stop();
      this.failed.inc({ kind, reason: this.transport.classify(error).kind });
      throw error;
    }
  }
}
