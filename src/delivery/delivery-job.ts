/** A send job carries only the delivery's id; everything else is read from PostgreSQL. */
export interface DeliveryJobData {
  deliveryId: string;
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
