/** Every BullMQ queue. Transactional mail has its own so that a large digest send never holds it up. */
export enum QueueName {
  TransactionalMail = 'transactional-mail',
  /** Composing the weekly digest: one deterministic job per period. */
  Digests = 'digests',
  /**
   * Digest sends: a batch job per block of 100 delivery ids (`batch-<digest>-<first id>`), and a
   * job of its own (`delivery-<id>`) for a retry or a delivery to a paced domain.
   */
  Delivery = 'delivery',
  /** Freezing a released digest's subscribers and enqueueing its sends: one job per digest. */
  FanOut = 'fan-out',
  /** Polling the INBOUND_IMAP_URL mailbox: a job scheduler, so one worker polls at a time. */
  Inbound = 'inbound',
}

export enum DeliveryJob {
  /** One delivery. */
  Send = 'send',
  /** The deliveries of one digest in one block of ids. */
  Batch = 'batch',
}

/** The mails of one subscriber's own doing, each tied to one confirmation token. */
export enum TransactionalMailJob {
  Confirmation = 'confirmation',
  /** After the confirmation link was used: what to expect, and when. */
  Welcome = 'welcome',
  /** To the new address a subscriber asked for: the link that makes the change. */
  EmailChangeConfirmation = 'email-change-confirmation',
  /** To the old address, once the change is made. */
  EmailChanged = 'email-changed',
}

/** A token is used at most once, so `<job>-<token id>` names each mail once: enqueueing it again is a no-op. */
export function transactionalMailJobId(job: TransactionalMailJob, tokenId: string): string {
  return `${job}-${tokenId}`;
}

export enum DigestJob {
  Compose = 'compose',
}

export enum InboundJob {
  ImapPoll = 'imap-poll',
}

/** Retry defaults shared by every queue: bounded history, exponential backoff. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
} as const;
