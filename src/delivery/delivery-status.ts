/** Where one subscriber's copy of a digest stands. Only moves forward (enforced by a trigger). */
export enum DeliveryStatus {
  Queued = 'queued',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  Bounced = 'bounced',
  Skipped = 'skipped',
}
