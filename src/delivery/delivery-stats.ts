import type { ConsentEventsRepository } from '../subscribers/consent-events.repository.js';
import type { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryStatus } from './delivery-status.js';

export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number };

/** A digest's send seen over the last STALL_WINDOW_S seconds; null when it is moving, or not sending. */
export interface DeliveryStall {
  /** "the last 120 s: 0 sent, 6,000 retrying, last error ECONNREFUSED ..." */
  summary: string;
  /** When a delivery last finished (sent, failed, bounced or skipped); null when none has. */
  lastFinishedAt: string | null;
}

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
  /** Seconds left at the current rate; null when finished, paused, stalled, or not started. */
  estimatedSecondsLeft: number | null;
  /** When the earliest retrying delivery is next attempted; null when none is retrying. */
  nextRetryAt: string | null;
  /** The reply that put the latest delivery into `retrying`, e.g. `ECONNREFUSED` or a 4xx. */
  lastRetryError: string | null;
  /** Set when nothing finished for STALL_WINDOW_S while deliveries are open: sends are refused, or their jobs are lost. */
  stalled: DeliveryStall | null;
  /** Bounced and complained deliveries over those that reached the provider (sent, bounced, complained), 0 to 1. */
  bounceRate: number;
  complaintRate: number;
  /** Subscribers who left through this digest's unsubscribe link, page or mailto, and their share of those reached. */
  unsubscribed: number;
  unsubscribeRate: number;
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

/** What the delivery rows say beyond the counters (index reads, only for digests that are sending). */
export interface RetryTimes {
  nextAttemptAt: Date | null;
  lastFinishedAt: Date | null;
  lastError: string | null;
}

export const STALL_WINDOW_S = 120;
const FINISHED = [
  DeliveryStatus.Sent,
  DeliveryStatus.Failed,
  DeliveryStatus.Bounced,
  DeliveryStatus.Skipped,
  DeliveryStatus.Complained,
];
const number = (n: number) => n.toLocaleString('en-US');

/** Pure: progress, rate and time left from counts and times, so it can be checked without a database. */
export function computeStats(
  counts: DeliveryCounts,
  digest: DigestTimes,
  now = new Date(),
  retry: RetryTimes = { nextAttemptAt: null, lastFinishedAt: null, lastError: null },
  unsubscribed = 0,
): DeliveryStats {
  const done = FINISHED.reduce((sum, status) => sum + counts[status], 0);
  // A digest reopened by retry-failed keeps its sent date but is not finished again until it is sent.
  const finishedAt =
    digest.status === 'sent' ? digest.sentAt : digest.status === 'cancelled' ? digest.cancelledAt : null;
  const end = finishedAt ?? now;
  const elapsed = digest.sendingAt ? Math.max(0.001, (end.getTime() - digest.sendingAt.getTime()) / 1000) : 0;
  const rate = elapsed ? done / elapsed : 0;
  const left = counts.total - done;
  const progress = counts.total ? (100 * done) / counts.total : digest.status === 'sent' ? 100 : 0;
  const stalled = stall(counts, digest, now, retry, left);
  return {
    counts,
    progressPercent: Math.floor(progress * 10) / 10,
    sendRatePerSecond: Math.round(rate * 10) / 10,
    startedAt: digest.sendingAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    paused: Boolean(digest.pausedAt),
    // No estimate while nothing moves: the average since the start would promise an end that is not coming.
    estimatedSecondsLeft: finishedAt || digest.pausedAt || stalled || !left || !rate ? null : Math.ceil(left / rate),
    nextRetryAt: counts.retrying ? (retry.nextAttemptAt?.toISOString() ?? null) : null,
    lastRetryError: counts.retrying ? retry.lastError : null,
    stalled,
    ...deliverabilityRates(counts, unsubscribed),
    pauseReason: digest.pausedAt ? (digest.pauseReason ?? null) : null,
  };
}

/** The rates the automatic pause watches (and the unsubscribe rate beside them), over the deliveries that reached the provider. */
export function deliverabilityRates(
  counts: Record<'sent' | 'bounced' | 'complained', number>,
  unsubscribed = 0,
): {
  reached: number;
  bounceRate: number;
  complaintRate: number;
  unsubscribed: number;
  unsubscribeRate: number;
} {
  const reached = counts.sent + counts.bounced + counts.complained;
  const rate = (n: number) => (reached ? Math.round((n / reached) * 10_000) / 10_000 : 0);
  return {
    reached,
    bounceRate: rate(counts.bounced),
    complaintRate: rate(counts.complained),
    unsubscribed,
    unsubscribeRate: rate(unsubscribed),
  };
}

function stall(
  counts: DeliveryCounts,
  digest: DigestTimes,
  now: Date,
  retry: RetryTimes,
  left: number,
): DeliveryStall | null {
  if (digest.status !== 'sending' || digest.pausedAt || !left || !digest.sendingAt) return null;
  const last = retry.lastFinishedAt ?? digest.sendingAt;
  if (now.getTime() - last.getTime() < STALL_WINDOW_S * 1000) return null;
  const parts = [`the last ${STALL_WINDOW_S} s: 0 sent`];
  if (counts.retrying) parts.push(`${number(counts.retrying)} retrying`);
  if (counts.queued) parts.push(`${number(counts.queued)} queued`);
  if (counts.sending) parts.push(`${number(counts.sending)} sending`);
  if (counts.retrying && retry.lastError) parts.push(`last error ${retry.lastError}`);
  else if (!counts.retrying) parts.push('no send is being attempted: the queue may have lost its jobs');
  return { summary: parts.join(', '), lastFinishedAt: retry.lastFinishedAt?.toISOString() ?? null };
}

/**
 * Stats for several digests from `digest_delivery_counts`: a primary-key read per digest, kept
 * up to date by triggers, so a digest of 100,000 deliveries costs no scan. A digest that is
 * sending also gets its retry times, read on small indexes.
 */
export async function loadDeliveryStats(
  deliveries: DeliveriesRepository,
  consent: ConsentEventsRepository,
  digests: DigestTimes[],
): Promise<Map<string, DeliveryStats>> {
  // The counters, the retry times and the unsubscribes are independent reads: one round trip's wait, not several.
  const sending = digests.filter((digest) => digest.status === 'sending');
  const ids = digests.map((d) => d.id);
  const [rows, times, unsubscribes] = await Promise.all([
    deliveries.counts(ids),
    Promise.all(sending.map((digest) => deliveries.retryTimes(digest.id))),
    consent.unsubscribesPerDigest(ids),
  ]);
  const retries = new Map<string, RetryTimes>(sending.map((digest, i) => [digest.id, times[i]]));
  const now = new Date();
  return new Map(
    digests.map((digest) => {
      const counts = Object.fromEntries(Object.values(DeliveryStatus).map((status) => [status, 0])) as DeliveryCounts;
      for (const row of rows) if (row.digest_id === digest.id) counts[row.status] = Number(row.count);
      counts.total = Object.values(DeliveryStatus).reduce((sum, status) => sum + counts[status], 0);
      return [digest.id, computeStats(counts, digest, now, retries.get(digest.id), unsubscribes.get(digest.id) ?? 0)];
    }),
  );
}
