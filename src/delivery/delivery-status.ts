/** Where one subscriber's copy of a digest stands. Only moves forward (enforced by a trigger). */
export enum DeliveryStatus {
  Queued = 'queued',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  Bounced = 'bounced',
  Skipped = 'skipped',
}

/** Not finished yet: what the reconciler re-enqueues and a digest waits for. */
export const OPEN_DELIVERY_STATUSES = [DeliveryStatus.Queued, DeliveryStatus.Sending] as const;
