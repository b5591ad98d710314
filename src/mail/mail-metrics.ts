import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { classifySmtpFailure, type FailureKind } from '../delivery/mailer/smtp-failure.js';
import { MetricsRegistry } from '../common/metrics-registry.js';

export type MailKind = 'confirmation' | 'digest';
const KINDS: MailKind[] = ['confirmation', 'digest'];
const REASONS: FailureKind[] = ['temporary', 'permanent', 'bounce'];

/**
 * Mail counters for every sender to share. `measure` wraps one send; the counters are public
 * for a sender that learns the outcome some other way (a bounce reported later).
 */
@Injectable()
export class MailMetrics {
  readonly sent: Counter<'kind'>;
  readonly failed: Counter<'kind' | 'reason'>;
  readonly sendDuration: Histogram<'kind'>;

  constructor({ registry }: MetricsRegistry) {
    this.sent = new Counter({ name: 'tidings_mails_sent_total', help: 'Mails accepted by the SMTP server', labelNames: ['kind'], registers: [registry] });
    this.failed = new Counter({
      name: 'tidings_mails_failed_total',
      help: 'Send attempts that failed; a retried mail counts once per failed attempt',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    });
    this.sendDuration = new Histogram({
      name: 'tidings_send_duration_seconds',
      help: 'Time to render and hand one mail to the SMTP server',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    // Every series exists from the start at 0, so a rate() sees the first mail.
    for (const kind of KINDS) {
      this.sent.inc({ kind }, 0);
      for (const reason of REASONS) this.failed.inc({ kind, reason }, 0);
    }
  }

  /**
   * Times `send` and counts its outcome: true is a mail sent, false is nothing to send (not
   * counted), a throw is a failure sorted by its SMTP reply, then rethrown.
   */
  async measure(kind: MailKind, send: () => Promise<boolean>): Promise<boolean> {
    const stop = this.sendDuration.startTimer({ kind });
    try {
      const sent = await send();
      if (sent) {
        stop();
        this.sent.inc({ kind });
      }
      return sent;
    } catch (error) {
      stop();
      this.failed.inc({ kind, reason: classifySmtpFailure(error).kind });
      throw error;
    }
  }
}
