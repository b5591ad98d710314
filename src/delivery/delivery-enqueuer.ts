import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { DeliveryJob, QueueName } from '../common/queue.constants.js';
import { AppConfig } from '../config/app-config.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import {
  batchFirst,
  batchJobId,
  deliveryJobId,
  FIRST_ATTEMPT_PRIORITY,
  RETRY_PRIORITY,
  type SendJobData,
  type SendTarget,
} from './delivery-job.js';
import { DeliveryStatus } from './delivery-status.js';

const LIVE_STATES = new Set<string>(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

interface JobToAdd {
  name: DeliveryJob;
  data: SendJobData;
  opts: JobsOptions & { jobId: string };
}

/**
 * Puts a digest's unfinished deliveries on the queue, a keyset page at a time, so that neither
 * the process nor a single Redis call ever holds the whole list. Deliveries waiting for their
 * first send go in batch jobs of one id block each; a retrying delivery has a job of its own. Job
 * ids are deterministic: re-enqueueing a batch or delivery whose job is still alive does nothing,
 * which is what makes the reconciler and resume safe to run at any time.
 */
@Injectable()
export class DeliveryEnqueuer {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Delivery) private readonly queue: Queue<SendJobData>,
  ) {}

  /**
   * Fails at once (the producer connection is bounded) when Redis is away, so an action that
   * needs the queue refuses before it changes anything in PostgreSQL.
   */
  async assertReachable(): Promise<void> {
    await this.queue.isPaused(); // One cheap command on the queue's own connection.
  }

  private async liveIds(jobIds: readonly string[]): Promise<Set<string>> {
    const states = await Promise.all(jobIds.map((id) => this.queue.getJobState(id)));
    return new Set(jobIds.filter((_, i) => LIVE_STATES.has(states[i])));
  }

  /** The deliveries among these with no live job in Redis, neither their batch's nor their own. */
  async withoutLiveJob(digestId: string, ids: readonly string[]): Promise<string[]> {
    const live = await this.liveIds(ids.flatMap((id) => [batchJobId(digestId, batchFirst(id)), deliveryJobId(id)]));
    return ids.filter((id) => !live.has(batchJobId(digestId, batchFirst(id))) && !live.has(deliveryJobId(id)));
  }

  /**
   * One bulk add. A delivery that is retrying gets a job of its own, as it did after its failure;
   * every other one is offered through its block's batch, which decides, row by row, what to send.
   */
  async enqueueTargets(digestId: string, targets: readonly SendTarget[], verify = false): Promise<number> {
    const jobs = new Map<string, JobToAdd>();
    for (const target of targets) {
      if (target.status === DeliveryStatus.Retrying) {
        const job = this.single(target);
        jobs.set(job.opts.jobId, job);
        continue;
      }
      const f = batchFirst(target.id);
      const jobId = batchJobId(digestId, f);
      if (!jobs.has(jobId))
        jobs.set(jobId, {
          name: DeliveryJob.Batch,
          data: { d: digestId, f },
          opts: { jobId, priority: FIRST_ATTEMPT_PRIORITY },
        });
    }
    // One Redis kept in a dead state (finished, or a key left behind when its data was lost under
    // a running worker) would make BullMQ ignore the new job as a duplicate forever: removed first.
    if (verify) {
      const live = await this.liveIds([...jobs.keys()]);
      await Promise.all(
        [...jobs.keys()].filter((id) => !live.has(id)).map((id) => this.queue.remove(id).catch(() => 0)),
      );
    }
    await this.queue.addBulk([...jobs.values()]);
    return targets.length;
  }

  /**
   * Single-delivery jobs, ahead of the batches: deliveries a batch hands on (a paced domain, a
   * send found in flight after a crash), or one retry after a temporary failure, due in `delayMs`.
   */
  async enqueueSingles(targets: readonly SendTarget[], retry?: { delayMs: number; before: number }): Promise<void> {
    if (targets.length) await this.queue.addBulk(targets.map((target) => this.single(target, retry)));
  }

  private single({ id, domain }: SendTarget, retry?: { delayMs: number; before: number }): JobToAdd {
    const { maxAttempts, backoffMs } = this.config.delivery;
    const before = retry?.before ?? 0;
    return {
      name: DeliveryJob.Send,
      data: before ? { deliveryId: id, domain, before } : { deliveryId: id, domain },
      opts: {
        jobId: deliveryJobId(id),
        priority: RETRY_PRIORITY,
        ...(retry ? { delay: retry.delayMs } : {}),
        // The attempts made in the batch count: the backoff goes on doubling from where it was.
        attempts: Math.max(1, maxAttempts - before),
        backoff: { type: 'exponential', delay: backoffMs * 2 ** before },
      },
    };
  }

  /**
   * Returns how many deliveries were offered to the queue (existing live jobs are not duplicated).
   * With `verify`, each job is first looked up and removed when dead (see enqueueTargets).
   */
  async enqueue(
    digestId: string,
    statuses: readonly DeliveryStatus[] = [DeliveryStatus.Queued],
    verify = false,
  ): Promise<number> {
    const batch = this.config.delivery.fanOutBatchSize;
    let after = '0';
    let total = 0;
    for (;;) {
      const targets = await this.deliveries.sendTargetsPage(digestId, statuses, after, batch);
      if (!targets.length) return total;
      total += await this.enqueueTargets(digestId, targets, verify);
      after = targets[targets.length - 1].id;
    }
  }
}
