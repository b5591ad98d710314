import type { AdminDigestView } from '../admin/digests/admin-digests.service.js';
import { DigestStatus } from '../digests/digest-status.js';

/** A digest as a console page shows it: plain strings, ready for the template. */
export interface ConsoleDigestRow {
  id: string;
  url: string;
  subject: string;
  period: string;
  status: string;
  progressPercent: number;
  total: number;
  alert: string | null;
}

/** A string, to compare with the view's status (a plain string there). */
const COMPOSED: string = DigestStatus.Composed;
const day = (iso: string) => iso.slice(0, 10);

/**
 * What needs an operator's eye, if anything: a digest held back by the pre-release check, one
 * waiting for approval, or a send that paused itself (bounces or complaints).
 */
export function digestAlert(digest: AdminDigestView): string | null {
  if (digest.status === COMPOSED && digest.holdReason) return `held: ${digest.holdReason}`;
  if (digest.status === COMPOSED) return 'awaiting approval';
  if (digest.deliveries.paused && digest.deliveries.pauseReason)
    return `paused by itself: ${digest.deliveries.pauseReason}`;
  if (digest.deliveries.paused) return 'paused';
  return null;
}

export function consoleDigestRow(digest: AdminDigestView, url: string): ConsoleDigestRow {
  return {
    id: digest.id,
    url,
    subject: digest.subject ?? '(no subject: nothing to send)',
    period: `${day(digest.periodStart)} to ${day(digest.periodEnd)}`,
    status: digest.status,
    progressPercent: digest.deliveries.progressPercent,
    total: digest.deliveries.counts.total,
    alert: digestAlert(digest),
  };
}
