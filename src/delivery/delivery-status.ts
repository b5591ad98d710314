/** Where one subscriber's copy of a digest stands. Only moves forward (enforced by a trigger), except sent -> bounced | complained when the provider reports back. */
export enum DeliveryStatus {
  Queued = 'queued',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  Bounced = 'bounced',
  Skipped = 'skipped',
  /** Sent, then reported by the provider as a spam complaint. */
  Complained = 'complained',
}
