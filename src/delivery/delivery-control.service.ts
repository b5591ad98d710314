import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DigestsRepository } from '../digests/digests.repository.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DeliveryStatus, OPEN_DELIVERY_STATUSES } from './delivery-status.js';
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
    private readonly digests: DigestsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly completion: DigestCompletion,
  ) {}

  /** Workers stop claiming its deliveries; what is in flight finishes. */
  async pause(digestId: string): Promise<ControlResult> {
    if (!(await this.digests.pause(digestId)))
      await this.refuse(digestId, 'paused', 'only a digest that is sending and not paused can be paused');
    return { digestId, affected: 0 };
  }

  /** While Redis is away it refuses (503) and the digest stays paused: nothing is half done. */
  async resume(digestId: string): Promise<ControlResult> {
    await this.enqueuer.assertReachable();
    if (!(await this.digests.resume(digestId)))
      await this.refuse(digestId, 'resumed', 'only a paused digest can be resumed');
    try {
      // Retrying rows whose job ran while paused have no job any more: they are offered again too.
      return { digestId, affected: await this.enqueuer.enqueue(digestId, OPEN_DELIVERY_STATUSES) };
    } catch (error) {
      await this.digests.pause(digestId);
      throw error;
    }
  }

  /**
   * The remaining sends stop: the digest becomes cancelled and its queued and retrying deliveries
   * skipped, in one transaction; copies in flight finish. A `sending` row whose job is gone
   * (nothing in flight) is skipped too, here and by the reconciler's sweep of cancelled digests,
   * so every row settles. Returns null when the digest was not sending.
   */
  async cancelSending(digestId: string, reason = 'digest cancelled by an operator'): Promise<number | null> {
    const skipped = await this.deliveries.transaction(async (manager) => {
      if (!(await this.digests.cancelSending(manager, digestId))) return null;
      return this.deliveries.skipIdle(manager, digestId, reason);
    });
    if (skipped === null) return null;
    const orphans = await this.settleOrphans(digestId, reason).catch(() => 0); // Redis down: the reconciler's sweep does it.
    this.completion.touched(digestId);
    return skipped + orphans;
  }

  /**
   * A cancelled digest's deliveries left without a send in flight become skipped: queued or
   * retrying ones, and `sending` ones whose job Redis no longer holds alive. Returns how many.
   */
  async settleOrphans(digestId: string, reason = 'digest cancelled by an operator'): Promise<number> {
    let settled = await this.deliveries.skipIdle(null, digestId, reason);
    let after = '0';
    for (;;) {
      const page = await this.deliveries.sendTargetsPage(digestId, [DeliveryStatus.Sending], after, 1_000);
      const ids = page.map((target) => target.id);
      if (!ids.length) return settled;
      settled += await this.deliveries.skipSending(await this.enqueuer.withoutLiveJob(digestId, ids), reason);
      after = ids[ids.length - 1];
    }
  }

  async cancel(digestId: string): Promise<ControlResult> {
    const skipped = await this.cancelSending(digestId);
    if (skipped === null)
      await this.refuse(digestId, 'cancelled', 'only a digest that is sending can be cancelled here');
    return { digestId, affected: skipped ?? 0 };
  }

  /** Failed deliveries go back to queued (bounced ones never do) and the digest sends again. */
  async retryFailed(digestId: string): Promise<ControlResult> {
    const affected = await this.deliveries.transaction(async (manager) => {
      if (!(await this.digests.reopenForRetry(manager, digestId))) {
        await this.refuse(digestId, 'retried', 'only a digest that is sending or sent has failed deliveries to retry');
      }
      return this.deliveries.requeueFailed(manager, digestId);
    });
    await this.enqueuer.enqueue(digestId);
    this.completion.touched(digestId);
    return { digestId, affected };
  }

  private async refuse(digestId: string, verb: string, rule: string): Promise<never> {
    const digest = await this.digests.findById(digestId);
    if (!digest) throw new NotFoundException(`digest ${digestId} does not exist`);
    const state = digest.pausedAt ? `${digest.status} (paused)` : digest.status;
    throw new ConflictException(`digest ${digestId} is ${state} and cannot be ${verb}: ${rule}`);
  }
}
