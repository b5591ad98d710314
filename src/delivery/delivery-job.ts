import type { DeliveryStatus } from './delivery-status.js';

/**
 * A single-delivery job: a retry after a temporary failure, a delivery to a paced domain, or one a
 * batch found in flight after a crash. It carries the delivery's id, and the recipient's domain
 * for DOMAIN_RATES (so the pacing costs no query); everything else is read from PostgreSQL.
 */
export interface DeliveryJobData {
  deliveryId: string;
  /** Absent in jobs enqueued before pacing existed: those are not paced. */
  domain?: string;
  /** The send slot this job reserved for its domain, and the attempt it was reserved for. */
  slot?: { at: number; attempt: number };
  /** Attempts the delivery had before this job (in its batch): they count towards DELIVERY_MAX_ATTEMPTS. */
  before?: number;
}

/**
 * A batch job: one digest's deliveries whose ids fall in the block [f, f + BATCH_SIZE - 1]. Kept
 * tiny on purpose (Redis holds it for every waiting reader); the rows are read when it runs.
 */
export interface BatchJobData {
  d: string;
  f: string;
}

export type SendJobData = DeliveryJobData | BatchJobData;

export const isBatch = (data: SendJobData): data is BatchJobData => 'f' in data;

/** A delivery to put on the queue, with its recipient's domain. */
export interface SendTarget {
  id: string;
  domain: string;
  /** Absent for deliveries just created (queued). */
  status?: DeliveryStatus;
}

/**
 * Blocks are aligned on the id, not cut where a page happened to end: every process derives the
 * same batch (and job id) for a delivery, so the reconciler, resume and a second fan-out re-offer
 * exactly the job that may still be alive, never a second one overlapping it.
 */
export const BATCH_SIZE = 100;

export const batchFirst = (deliveryId: string): string =>
  String((BigInt(deliveryId) / BigInt(BATCH_SIZE)) * BigInt(BATCH_SIZE));

export const batchLast = (first: string): string => String(BigInt(first) + BigInt(BATCH_SIZE - 1));

/** Deterministic: adding the same batch twice while its job lives is a no-op in BullMQ. */
export const batchJobId = (digestId: string, first: string) => `batch-${digestId}-${first}`;

/** Deterministic: adding the same delivery twice while its job lives is a no-op in BullMQ. */
export const deliveryJobId = (deliveryId: string) => `delivery-${deliveryId}`;

/**
 * BullMQ runs jobs without a priority (0) before every prioritized one. Batches are added with
 * FIRST_ATTEMPT_PRIORITY and single-delivery jobs (retries, paced readers) with RETRY_PRIORITY,
 * so a retry whose backoff ended goes ahead of the thousands of first attempts still waiting.
 */
export const FIRST_ATTEMPT_PRIORITY = 10;
export const RETRY_PRIORITY = 0;
