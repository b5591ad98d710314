import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { AppConfig } from '../config/app-config.js';
import { DigestsRepository } from '../digests/digests.repository.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { deliverabilityRates } from './delivery-stats.js';

/**
 * Protects the sender's reputation: a send whose bounce or complaint rate passes its threshold
 * (PAUSE_BOUNCE_RATE, PAUSE_COMPLAINT_RATE), over at least PAUSE_MIN_DELIVERIES deliveries that
 * reached the provider, pauses itself with the reason on the digest. An operator resumes or
 * cancels it through the usual routes. Called after each bounce or complaint; a primary-key read.
 */
@Injectable()
export class AutoPause {
  private readonly logger = new Logger(AutoPause.name);
  private readonly pauses: Counter<'reason'>;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly digests: DigestsRepository,
    private readonly config: AppConfig,
    { registry }: MetricsRegistry,
  ) {
    this.pauses = new Counter({
      name: 'tidings_digest_auto_pauses_total',
      help: 'Sends that paused themselves, by the rate that passed its threshold',
      labelNames: ['reason'],
      registers: [registry],
    });
    for (const reason of ['bounce_rate', 'complaint_rate']) this.pauses.inc({ reason }, 0);
  }

  /** Returns the reason when this call paused the send. */
  async check(digestId: string): Promise<string | null> {
    const counts = { sent: 0, bounced: 0, complained: 0 } as Record<string, number>;
    for (const row of await this.deliveries.counts([digestId])) counts[row.status] = Number(row.count);
    const { reached, bounceRate, complaintRate } = deliverabilityRates({
      sent: counts.sent,
      bounced: counts.bounced,
      complained: counts.complained,
    });
    const { pauseBounceRate, pauseComplaintRate, pauseMinDeliveries } = this.config.deliverability;
    if (reached < pauseMinDeliveries) return null;
    const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;
    const [metric, reason] =
      complaintRate > pauseComplaintRate
        ? ['complaint_rate', `complaint rate ${percent(complaintRate)} passed ${percent(pauseComplaintRate)}`]
        : bounceRate > pauseBounceRate
          ? ['bounce_rate', `bounce rate ${percent(bounceRate)} passed ${percent(pauseBounceRate)}`]
          : [null, null];
    if (!metric || !reason) return null;
    const full = `${reason} over ${reached} deliveries`;
    if (!(await this.digests.pauseAutomatically(digestId, full))) return null;
    this.pauses.inc({ reason: metric });
    this.logger.warn(`digest ${digestId} paused itself: ${full}`);
    return full;
  }
}
