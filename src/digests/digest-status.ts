/** Where a digest is in its life. `sending` and `sent` belong to the delivery (issue 5). */
export enum DigestStatus {
  /** Rendered and stored; waits for release (at once, or for an operator's approval). */
  Composed = 'composed',
  /** Released for sending: the delivery fan-out may start. */
  Approved = 'approved',
  Sending = 'sending',
  Sent = 'sent',
  /** A week without posts: recorded so the period is never composed again, and nothing is sent. */
  Skipped = 'skipped',
  Cancelled = 'cancelled',
  Failed = 'failed',
}

/** Statuses whose posts stay claimed: a post in one of these is never put in another digest. */
export const CLAIMING_STATUSES: readonly DigestStatus[] = [
  DigestStatus.Composed,
  DigestStatus.Approved,
  DigestStatus.Sending,
  DigestStatus.Sent,
  DigestStatus.Failed,
];

/** What an operator may cancel: anything the delivery has not started on. */
export const CANCELLABLE_STATUSES: readonly DigestStatus[] = [DigestStatus.Composed, DigestStatus.Approved];
