import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DeliveryJob, QueueName } from '../common/queue.constants.js';
import { AppConfig } from '../config/app-config.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { deliveryJobId, type DeliveryJobData, FIRST_ATTEMPT_PRIORITY, type SendTarget } from './delivery-job.js';
import { DeliveryStatus } from './delivery-status.js';

const LIVE_STATES = new Set<string>(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Puts a digest's unfinished deliveries on the queue, a keyset page at a time, so that neither
 * the process nor a single Redis call ever holds the whole list. Job ids are deterministic:
 * re-enqueueing a delivery whose job is still alive does nothing, which is what makes the
 * reconciler and resume safe to run at any time.
 */
@Injectable()
export class DeliveryEnqueuer {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Delivery) private readonly queue: Queue<DeliveryJobData>,
  ) {}

  /**
   * Fails at once (the producer connection is bounded) when Redis is away, so an action that
   * needs the queue refuses before it changes anything in PostgreSQL.
   */
  async assertReachable(): Promise<void> {
    await this.queue.isPaused(); // One cheap command on the queue's own connection.
  }

  /** Live jobs in the send queue, to compare with the unfinished deliveries PostgreSQL knows. */
  async liveJobs(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /** The deliveries among these whose job is not alive in Redis (finished, failed, or forgotten). */
  async withoutLiveJob(ids: readonly string[]): Promise<string[]> {
    const states = await Promise.all(ids.map((id) => this.queue.getJobState(deliveryJobId(id))));
    return ids.filter((_, i) => !LIVE_STATES.has(states[i]));
  }

  private async removeDeadJobs(ids: readonly string[]): Promise<void> {
    const dead = await this.withoutLiveJob(ids);
    await Promise.all(dead.map((id) => this.queue.remove(deliveryJobId(id)).catch(() => 0)));
  }

  /** One bulk add of send jobs for these deliveries. */
  async enqueueTargets(targets: readonly SendTarget[]): Promise<number> {
    await this.queue.addBulk(
      targets.map(({ id, domain }) => ({
        name: DeliveryJob.Send,
        data: { deliveryId: id, domain },
        opts: { jobId: deliveryJobId(id), priority: FIRST_ATTEMPT_PRIORITY },
      })),
    );
    return targets.length;
  }

  /**
   * Returns how many jobs were offered to the queue (existing live jobs are not duplicated).
   * With `verify`, each job is first looked up: one Redis kept in a dead state (finished, or a
   * key left behind when its data was lost under a running worker) would make BullMQ ignore
   * the new job as a duplicate forever, so it is removed before the job is added again.
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
      if (verify) await this.removeDeadJobs(targets.map((target) => target.id));
      total += await this.enqueueTargets(targets);
      after = targets[targets.length - 1].id;
    }
  }
}
