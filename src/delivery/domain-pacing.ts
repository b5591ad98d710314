import type { DomainRate } from '../config/domain-rates.js';
import type { DeliveryJobData } from './delivery-job.js';

/** What a send job does about its domain's pace: go now, reserve a slot on this rate, or wait until its slot. */
export type PaceStep = { send: true } | { send: false; reserveOn: DomainRate };

/**
 * Pure, the first half of pacing: a job to an unpaced domain goes now; so does one whose slot,
 * reserved on an earlier run of this same attempt, has come; any other job to a paced domain
 * reserves a slot first. A retry after a failure reserves again, as it is a new send.
 */
export function paceStep(
  data: DeliveryJobData,
  attemptsMade: number,
  rates: ReadonlyMap<string, DomainRate>,
): PaceStep {
  const rate = data.domain ? rates.get(data.domain.toLowerCase()) : undefined;
  if (!rate) return { send: true };
  if (data.slot && data.slot.attempt === attemptsMade) return { send: true };
  return { send: false, reserveOn: rate };
}

/**
 * The second half: `waitMs` is how far ahead the reserved slot lies (0 when the domain is under
 * its rate). A slot due now is taken at once; a later one makes the job wait for it in the
 * delayed set, holding no worker, and remember it, so that it does not reserve again.
 */
export function afterReservation(
  data: DeliveryJobData,
  attemptsMade: number,
  waitMs: number,
  now: number,
): { send: true } | { send: false; until: number; data: DeliveryJobData } {
  if (waitMs <= 0) return { send: true };
  const until = now + waitMs;
  return { send: false, until, data: { ...data, slot: { at: until, attempt: attemptsMade } } };
}
