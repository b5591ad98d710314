import type { MessageEvent } from '@nestjs/common';
import { defer, distinctUntilChanged, map, type Observable, repeat, takeWhile } from 'rxjs';
import type { AdminDigestView } from '../admin/digests/admin-digests.service.js';
import { DigestStatus } from '../digests/digest-status.js';

/** Statuses after which a digest's counts no longer move. */
const SETTLED = new Set<string>([DigestStatus.Sent, DigestStatus.Cancelled, DigestStatus.Failed, DigestStatus.Skipped]);
/** As often as the digest page's bar moves; each tick is the admin API's GET of the digest. */
export const PROGRESS_INTERVAL_MS = 1000;

export interface ProgressEvent {
  status: string;
  progressPercent: number;
  counts: Record<string, number>;
  done: boolean;
}

/**
 * A digest's progress as Server-Sent Events: one read per interval, an event only when something
 * changed, and a last event with `done` once the digest has settled (the stream then ends, so a
 * finished send holds no connection).
 */
export function digestProgressEvents(
  load: () => Promise<AdminDigestView>,
  intervalMs = PROGRESS_INTERVAL_MS,
): Observable<MessageEvent> {
  return defer(load).pipe(
    repeat({ delay: intervalMs }),
    map((digest): ProgressEvent => ({
      status: digest.status,
      progressPercent: digest.deliveries.progressPercent,
      counts: digest.deliveries.counts,
      done: SETTLED.has(digest.status),
    })),
    distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    takeWhile((event) => !event.done, true),
    map((event): MessageEvent => ({ data: event })),
  );
}
