import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../delivery/deliveries.repository.js';
import { deliverabilityRates } from '../delivery/delivery-stats.js';
import { DeliveryStatus } from '../delivery/delivery-status.js';
import { DigestsRepository } from '../digests/digests.repository.js';
import { ConsentEventsRepository } from '../subscribers/consent-events.repository.js';

/** What readers did with a digest, as the admin status shows it: counts, and rates over the deliveries reached. */
export type DigestOutcome = 'bounced' | 'complained' | 'unsubscribed';

export interface DigestProgress {
  digestId: string;
  /** Deliveries finished (sent, failed for good, bounced, skipped) over all deliveries, 0 to 1. */
  ratio: number;
  outcomes: Record<DigestOutcome, { count: number; rate: number }>;
}

const FINISHED = new Set<string>([
  DeliveryStatus.Sent,
  DeliveryStatus.Failed,
  DeliveryStatus.Bounced,
  DeliveryStatus.Skipped,
]);

/**
 * The progress of the latest digest whose send started, for `tidings_digest_progress_ratio`, and
 * its bounces, complaints and unsubscribes, from the delivery counters and the partial index of
 * unsubscribes (no scan). Null before any digest was sent.
 */
@Injectable()
export class DigestProgressProvider {
  constructor(
    private readonly digests: DigestsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly consent: ConsentEventsRepository,
  ) {}

  async lastDigestProgress(): Promise<DigestProgress | null> {
    const digestId = await this.digests.lastStartedId();
    if (!digestId) return null;
    const [rows, unsubscribes] = await Promise.all([
      this.deliveries.counts([digestId]),
      this.consent.unsubscribesPerDigest([digestId]),
    ]);
    const counts: Record<string, number> = { sent: 0, bounced: 0, complained: 0 };
    let total = 0;
    let done = 0;
    for (const row of rows) {
      const n = Number(row.count);
      counts[row.status] = n;
      total += n;
      if (FINISHED.has(row.status)) done += n;
    }
    const unsubscribed = unsubscribes.get(digestId) ?? 0;
    const rates = deliverabilityRates(
      { sent: counts.sent, bounced: counts.bounced, complained: counts.complained },
      unsubscribed,
    );
    return {
      digestId,
      ratio: total ? done / total : 1,
      outcomes: {
        bounced: { count: counts.bounced, rate: rates.bounceRate },
        complained: { count: counts.complained, rate: rates.complaintRate },
        unsubscribed: { count: unsubscribed, rate: rates.unsubscribeRate },
      },
    };
  }
}
