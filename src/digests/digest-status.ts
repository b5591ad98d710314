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
