import type { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryStatus } from './delivery-status.js';

export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number };

/** Where a digest's send stands, as the admin API shows it. */
export interface DeliveryStats {
  counts: DeliveryCounts;
  /** Finished deliveries (sent, failed, bounced, skipped) over all, 0 to 100, one decimal. */
  progressPercent: number;
  /** Deliveries finished per second since the send started (to its end, or to now). */
  sendRatePerSecond: number;
  startedAt: string | null;
  finishedAt: string | null;
  paused: boolean;
  /** Seconds left at the current rate; null when finished, paused, or not started. */
  estimatedSecondsLeft: number | null;
  /** Bounced and complained deliveries over those that reached the provider (sent, bounced, complained), 0 to 1. */
  bounceRate: number;
  complaintRate: number;
  /** Why the send paused itself, when it did. */
  pauseReason: string | null;
}

export interface DigestTimes {
  id: string;
  status: string;
  sendingAt: Date | null;
  sentAt: Date | null;
  cancelledAt: Date | null;
  pausedAt?: Date | null;
  pauseReason?: string | null;
}

const FINISHED = [
  DeliveryStatus.Sent,
  DeliveryStatus.Failed,
  DeliveryStatus.Bounced,
  DeliveryStatus.Skipped,
  DeliveryStatus.Complained,
];

/** Pure: progress, rate and time left from counts and times, so it can be checked without a database. */
export function computeStats(counts: DeliveryCounts, digest: DigestTimes, now = new Date()): DeliveryStats {
  const done = FINISHED.reduce((sum, status) => sum + counts[status], 0);
  // A digest reopened by retry-failed keeps its sent date but is not finished again until it is sent.
  const finishedAt =
    digest.status === 'sent' ? digest.sentAt : digest.status === 'cancelled' ? digest.cancelledAt : null;
  const end = finishedAt ?? now;
  const elapsed = digest.sendingAt ? Math.max(0.001, (end.getTime() - digest.sendingAt.getTime()) / 1000) : 0;
  const rate = elapsed ? done / elapsed : 0;
  const left = counts.total - done;
  const progress = counts.total ? (100 * done) / counts.total : digest.status === 'sent' ? 100 : 0;
  return {
    counts,
    progressPercent: Math.floor(progress * 10) / 10,
    sendRatePerSecond: Math.round(rate * 10) / 10,
    startedAt: digest.sendingAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    paused: Boolean(digest.pausedAt),
    estimatedSecondsLeft: finishedAt || digest.pausedAt || !left || !rate ? null : Math.ceil(left / rate),
    ...deliverabilityRates(counts),
    pauseReason: digest.pausedAt ? (digest.pauseReason ?? null) : null,
  };
}

/** The rates the automatic pause watches, over the deliveries that reached the provider. */
export function deliverabilityRates(counts: Record<'sent' | 'bounced' | 'complained', number>): {
  reached: number;
  bounceRate: number;
  complaintRate: number;
} {
  const reached = counts.sent + counts.bounced + counts.complained;
  const rate = (n: number) => (reached ? Math.round((n / reached) * 10_000) / 10_000 : 0);
  return { reached, bounceRate: rate(counts.bounced), complaintRate: rate(counts.complained) };
}

/**
 * Stats for several digests from `digest_delivery_counts`: a primary-key read per digest, kept
 * up to date by triggers, so a digest of 100,000 deliveries costs no scan.
 */
export async function loadDeliveryStats(
  deliveries: DeliveriesRepository,
  digests: DigestTimes[],
): Promise<Map<string, DeliveryStats>> {
  const rows = await deliveries.counts(digests.map((d) => d.id));
  const now = new Date();
  return new Map(
    digests.map((digest) => {
      const counts = Object.fromEntries(Object.values(DeliveryStatus).map((status) => [status, 0])) as DeliveryCounts;
      for (const row of rows) if (row.digest_id === digest.id) counts[row.status] = Number(row.count);
      counts.total = Object.values(DeliveryStatus).reduce((sum, status) => sum + counts[status], 0);
      return [digest.id, computeStats(counts, digest, now)];
    }),
  );
}
