/** Where one subscriber's copy of a digest stands. Only moves forward (enforced by a trigger), except sent -> bounced | complained when the provider reports back. */
export enum DeliveryStatus {
  Queued = 'queued',
  Sending = 'sending',
  /** A temporary failure: no send in flight, the next attempt is due at `next_attempt_at`. */
  Retrying = 'retrying',
  Sent = 'sent',
  Failed = 'failed',
  Bounced = 'bounced',
  Skipped = 'skipped',
  /** Sent, then reported by the provider as a spam complaint. */
  Complained = 'complained',
}

/** Not finished yet: what the reconciler re-enqueues and a digest waits for. */
export const OPEN_DELIVERY_STATUSES = [DeliveryStatus.Queued, DeliveryStatus.Sending, DeliveryStatus.Retrying] as const;
