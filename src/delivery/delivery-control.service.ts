import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cancelSendingDigest } from './cancel-sending.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DeliveryStatus } from './delivery-status.js';
import { DigestCompletion } from './digest-completion.js';

export interface ControlResult {
  digestId: string;
  /** Deliveries the action changed or re-enqueued. */
  affected: number;
}

/** What an operator does to a digest while it is being sent. */
@Injectable()
export class DeliveryControlService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly completion: DigestCompletion,
  ) {}

  /** Workers stop claiming its deliveries; what is in flight finishes. */
  async pause(digestId: string): Promise<ControlResult> {
    const [, changed] = await this.dataSource.query<[unknown[], number]>(`UPDATE digests SET paused_at = now() WHERE id = $1 AND status = 'sending' AND paused_at IS NULL`, [digestId]);
    if (!changed) await this.refuse(digestId, 'paused', 'only a digest that is sending and not paused can be paused');
    return { digestId, affected: 0 };
  }

  async resume(digestId: string): Promise<ControlResult> {
    const [, changed] = await this.dataSource.query<[unknown[], number]>(`UPDATE digests SET paused_at = NULL WHERE id = $1 AND status = 'sending' AND paused_at IS NOT NULL`, [digestId]);
    if (!changed) await this.refuse(digestId, 'resumed', 'only a paused digest can be resumed');
    return { digestId, affected: await this.enqueuer.enqueue(digestId, [DeliveryStatus.Queued, DeliveryStatus.Sending]) };
  }

  /** The remaining sends stop: queued deliveries are skipped; copies in flight finish. */
  async cancel(digestId: string): Promise<ControlResult> {
    return this.dataSource.transaction(async (manager) => {
      const skipped = await cancelSendingDigest(manager, digestId);
      if (skipped === null) await this.refuse(digestId, 'cancelled', 'only a digest that is sending can be cancelled here');
      return { digestId, affected: skipped ?? 0 };
    });
  }

  /** Failed deliveries go back to queued (bounced ones never do) and the digest sends again. */
  async retryFailed(digestId: string): Promise<ControlResult> {
    const affected = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL tidings.retry_failed = 'on'`);
      const [, reopened] = await manager.query<[unknown[], number]>(`UPDATE digests SET status = 'sending', sent_at = NULL WHERE id = $1 AND status IN ('sending', 'sent')`, [digestId]);
      if (!reopened) await this.refuse(digestId, 'retried', 'only a digest that is sending or sent has failed deliveries to retry');
      const [, requeued] = await manager.query<[unknown[], number]>(
        `UPDATE deliveries SET status = 'queued', finished_at = NULL, queued_at = now() WHERE digest_id = $1 AND status = 'failed'`,
        [digestId],
      );
      return Number(requeued);
    });
    await this.enqueuer.enqueue(digestId);
    this.completion.touched(digestId);
    return { digestId, affected };
  }

  private async refuse(digestId: string, verb: string, rule: string): Promise<never> {
    const [digest] = await this.dataSource.query<{ status: string; paused_at: Date | null }[]>(`SELECT status, paused_at FROM digests WHERE id = $1`, [digestId]);
    if (!digest) throw new NotFoundException(`digest ${digestId} does not exist`);
    const state = digest.paused_at ? `${digest.status} (paused)` : digest.status;
    throw new ConflictException(`digest ${digestId} is ${state} and cannot be ${verb}: ${rule}`);
  }
}
