import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DeliveryStatus } from './delivery-status.js';
import { DigestCompletion } from './digest-completion.js';
import { FanOutService } from './fan-out.service.js';

/**
 * PostgreSQL says which deliveries are unfinished; Redis may have forgotten their jobs (ours
 * keeps nothing on disk) or a worker may have died holding them. Every round re-enqueues the
 * queued and sending deliveries of every sending, unpaused digest. Live jobs are not duplicated
 * (deterministic job ids), so the round is safe on every instance at once.
 */
@Injectable()
export class DeliveryReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly fanOut: FanOutService,
    private readonly completion: DigestCompletion,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.reconcile().catch((error) => this.logger.error(`reconcile failed: ${(error as Error).message}`)), this.config.delivery.reconcileIntervalMs);
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
    const stranded: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM digests WHERE status = 'approved' AND approved_at < now() - interval '1 minute'
       OR status = 'sending' AND fanned_out_at IS NULL AND sending_at < now() - interval '1 minute'`,
    );
    for (const { id } of stranded) await this.fanOut.fanOut(id);
    const digests: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM digests WHERE status = 'sending' AND paused_at IS NULL ORDER BY sending_at`);
    // Fewer live jobs than unfinished deliveries means Redis lost some: look each job up this round.
    const [{ unfinished }] = await this.dataSource.query<[{ unfinished: number }]>(
      `SELECT coalesce(sum(c.count), 0)::int AS unfinished FROM digest_delivery_counts c JOIN digests g ON g.id = c.digest_id
       WHERE g.status = 'sending' AND g.paused_at IS NULL AND c.status IN ('queued', 'sending')`,
    );
    const verify = (await this.enqueuer.liveJobs()) < unfinished;
    let offered = 0;
    for (const { id } of digests) {
      if (await this.completion.check(id)) continue;
      offered += await this.enqueuer.enqueue(id, [DeliveryStatus.Queued, DeliveryStatus.Sending], verify);
    }
    if (offered) this.logger.log(`re-offered ${offered} unfinished deliveries of ${digests.length} sending digest(s)${verify ? ', checking each job' : ''}`);
    return offered;
  }
}
