/**
 * A send job carries the delivery's id, and the recipient's domain for DOMAIN_RATES (so the
 * pacing costs no query); everything else is read from PostgreSQL when it is sent.
 */
export interface DeliveryJobData {
  deliveryId: string;
  /** Absent in jobs enqueued before pacing existed: those are not paced. */
  domain?: string;
  /** The send slot this job reserved for its domain, and the attempt it was reserved for. */
  slot?: { at: number; attempt: number };
}

/** A delivery to put on the queue, with its recipient's domain. */
export interface SendTarget {
  id: string;
  domain: string;
}

/** Deterministic: adding the same delivery twice while its job lives is a no-op in BullMQ. */
export const deliveryJobId = (deliveryId: string) => `delivery-${deliveryId}`;

/**
 * BullMQ runs jobs without a priority (0) before every prioritized one. First attempts are added
 * with FIRST_ATTEMPT_PRIORITY and a retry is moved to RETRY_PRIORITY, so a retry whose backoff
 * ended goes ahead of the thousands of first attempts still waiting.
 */
export const FIRST_ATTEMPT_PRIORITY = 10;
export const RETRY_PRIORITY = 0;
