import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../delivery/deliveries.repository.js';
import { DeliveryStatus } from '../delivery/delivery-status.js';
import { DigestsRepository } from '../digests/digests.repository.js';

export interface DigestProgress {
  digestId: string;
  /** Deliveries finished (sent, failed for good, bounced, skipped) over all deliveries, 0 to 1. */
  ratio: number;
}

const FINISHED = new Set<string>([
  DeliveryStatus.Sent,
  DeliveryStatus.Failed,
  DeliveryStatus.Bounced,
  DeliveryStatus.Skipped,
]);

/**
 * The progress of the latest digest whose send started, for `tidings_digest_progress_ratio`,
 * from the delivery counters (no scan). Null before any digest was sent.
 */
@Injectable()
export class DigestProgressProvider {
  constructor(
    private readonly digests: DigestsRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async lastDigestProgress(): Promise<DigestProgress | null> {
    const digestId = await this.digests.lastStartedId();
    if (!digestId) return null;
    let total = 0;
    let done = 0;
    for (const row of await this.deliveries.counts([digestId])) {
      total += Number(row.count);
      if (FINISHED.has(row.status)) done += Number(row.count);
    }
    return { digestId, ratio: total ? done / total : 1 };
  }
}
