import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ProcessRole } from '../config/process-role.js';
import { DigestsRepository } from '../digests/digests.repository.js';
import { AppConfig } from '../config/app-config.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { OPEN_DELIVERY_STATUSES } from './delivery-status.js';
import { DeliveryControlService } from './delivery-control.service.js';
import { DigestCompletion } from './digest-completion.js';
import { FanOutService } from './fan-out.service.js';

/**
 * PostgreSQL says which deliveries are unfinished; Redis may have forgotten their jobs (ours
 * keeps nothing on disk) or a worker may have died holding them. Every round re-enqueues the
 * queued, sending and retrying deliveries of every sending, unpaused digest (as the batches of
 * their id blocks, and retrying ones as jobs of their own), and settles what a cancelled digest
 * left open. Live jobs are not duplicated (deterministic job ids), so the round is safe on every
 * instance at once.
 */
@Injectable()
export class DeliveryReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly digests: DigestsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly fanOut: FanOutService,
    private readonly completion: DigestCompletion,
    private readonly control: DeliveryControlService,
    private readonly config: AppConfig,
    private readonly role: ProcessRole,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.role.schedulers) return;
    this.timer = setInterval(
      () => void this.reconcile().catch((error) => this.logger.error(`reconcile failed: ${(error as Error).message}`)),
      this.config.delivery.reconcileIntervalMs,
    );
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Returns how many deliveries were offered to the queue again. One round at a time per process. */
  reconcile(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<number> {
    // Released, but its fan-out job never ran (lost with Redis, or the process died first).
    // Or whose fan-out stopped midway: fanOut resumes it.
    for (const id of await this.digests.strandedIds()) await this.fanOut.fanOut(id);
    const sending = await this.digests.sendingIds();
    // Each job is looked up (one lookup per batch of 100, or per retrying delivery) and a dead one
    // removed before it is offered again: a key Redis kept in a dead state would otherwise make
    // BullMQ ignore the new job as a duplicate forever.
    let offered = 0;
    for (const id of sending) {
      if (await this.completion.check(id)) continue;
      offered += await this.enqueuer.enqueue(id, OPEN_DELIVERY_STATUSES, true);
    }
    // A cancelled digest's rows left unsettled (a job lost with Redis, a worker that died): skipped.
    for (const id of await this.deliveries.cancelledWithOpenDeliveries()) {
      const settled = await this.control.settleOrphans(id);
      if (settled) this.logger.log(`settled ${settled} deliveries of cancelled digest ${id}`);
    }
    if (offered) this.logger.log(`re-offered ${offered} unfinished deliveries of ${sending.length} sending digest(s)`);
    return offered;
  }
}
