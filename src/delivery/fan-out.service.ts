import { Injectable, Logger } from '@nestjs/common';
import { DigestsRepository } from '../digests/digests.repository.js';
import { AppConfig } from '../config/app-config.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { batchFirst, type SendTarget } from './delivery-job.js';
import { DigestCompletion } from './digest-completion.js';

export interface FanOutResult {
  digestId: string;
  /** Deliveries created by this call (0 when another call already did the work). */
  subscribers: number;
  enqueued: number;
}

/** Enqueueing is the slow half; this many batches may be on their way to Redis at once. */
const ENQUEUES_IN_FLIGHT = 2;

/**
 * Turns a released digest into one delivery per confirmed subscriber, then one batch job per block
 * of 100 delivery ids.
 *
 * The subscribers are frozen by a timestamp taken as the digest moves to `sending`: the subscribers
 * confirmed at that instant. Deliveries are then inserted in keyset batches of that set, each
 * committed and handed to the queue while the next batch is inserted, so PostgreSQL and Redis
 * work at the same time and no batch list outlives its page. A crash midway leaves
 * `fanned_out_at` empty; calling again (the job retry, or the reconciler) resumes, since the
 * inserts skip existing rows and the job ids are deterministic.
 */
@Injectable()
export class FanOutService {
  private readonly logger = new Logger(FanOutService.name);

  constructor(
    private readonly digests: DigestsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly completion: DigestCompletion,
    private readonly config: AppConfig,
  ) {}

  async fanOut(digestId: string): Promise<FanOutResult> {
    const started = Date.now();
    const start = await this.digests.startSending(digestId);
    if (!start) return { digestId, subscribers: 0, enqueued: 0 };

    let after = '00000000-0000-0000-0000-000000000000';
    let subscribers = 0;
    let enqueued = 0;
    const inFlight = new Set<Promise<void>>();
    // Kept rather than left to reject: a batch that fails while no one awaits it would otherwise be
    // lost, and the digest marked fanned out with deliveries that never reached the queue.
    let enqueueError: Error | undefined;
    let carried: SendTarget[] = [];
    const enqueue = async (targets: SendTarget[]) => {
      if (!targets.length) return;
      if (inFlight.size >= ENQUEUES_IN_FLIGHT) await Promise.race(inFlight);
      const job = this.enqueuer.enqueueTargets(digestId, targets).then(
        (n) => void (enqueued += n),
        (error: unknown) => void (enqueueError ??= error instanceof Error ? error : new Error(String(error))),
      );
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job));
    };
    while (enqueueError === undefined) {
      const { last, created } = await this.deliveries.createPage(
        digestId,
        start.frozenAt,
        after,
        this.config.delivery.fanOutBatchSize,
      );
      if (!last) break;
      after = last;
      if (!created.length) continue;
      subscribers += created.length;
      // The page's last id block may gain rows from the next page: its batch waits for them, since
      // a batch already running would not see them and the same job id added again is a no-op.
      const tail = batchFirst(created[created.length - 1].id);
      const ready = [...carried, ...created];
      carried = ready.filter((target) => batchFirst(target.id) === tail);
      await enqueue(ready.filter((target) => batchFirst(target.id) !== tail));
    }
    await enqueue(carried);
    await Promise.all(inFlight);
    // Left without fanned_out_at: the job's retry resumes, re-offering what was inserted.
    if (enqueueError) throw enqueueError;
    // A resumed fan-out also re-offers what the crashed one inserted but may not have enqueued.
    if (subscribers === 0 || start.resumed) enqueued += await this.enqueuer.enqueue(digestId);
    await this.digests.markFannedOut(digestId);
    // No subscriber to wait for (nobody confirmed yet), or all already done: settle it now.
    await this.completion.check(digestId);
    this.logger.log(
      `digest ${digestId}: ${subscribers} subscribers, ${enqueued} sends enqueued in ${Date.now() - started} ms`,
    );
    return { digestId, subscribers, enqueued };
  }
}
