import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DigestsRepository } from '../digests/digests.repository.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { BATCH_SIZE, type BatchJobData, batchLast, type SendTarget } from './delivery-job.js';
import { DeliveryStatus } from './delivery-status.js';
import { DigestSender, type SendOutcome, TemporarySendError } from './digest-sender.js';
import { DomainPacer } from './domain-pacer.js';
import { SendSlots } from './send-slots.js';

/** How stale the list of digests that may send can be: pause and cancel take effect within this. */
const GATE_MS = 200;

export interface BatchResult {
  /** Outcome of each delivery the batch sent itself. */
  outcomes: Partial<Record<SendOutcome, number>>;
  /** Deliveries given a job of their own (paced domain, or in flight when a worker died). */
  handedOn: number;
  /**
   * Why the batch ended before its last delivery; what it left stays queued. `closing` and
   * `resumed` (paused, then resumed before the batch had ended, when re-adding its job was a
   * no-op) put the job back on the queue.
   */
  stopped?: 'paused' | 'closing' | 'resumed';
}

/**
 * Sends one batch: the digest's deliveries in one id block, read when the job runs. It sends the
 * queued ones itself, each in one of the process's send slots, and gives a job of its own to any
 * delivery that must wait apart: one to a paced domain (DOMAIN_RATES), one still `sending` (the
 * batch is running again after its worker died: that copy may be out, or may not), and, after a
 * temporary failure, the retry. Between messages it checks the digest may still send, so a pause,
 * a cancel or a shutdown stops it within a fraction of a second and leaves the rest queued.
 */
@Injectable()
export class BatchSender {
  private readonly logger = new Logger(BatchSender.name);
  private closing = false;
  private open = new Set<string>();
  private checkedAt = 0;
  private checking?: Promise<void>;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly digests: DigestsRepository,
    private readonly sender: DigestSender,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly slots: SendSlots,
    private readonly pacer: DomainPacer,
    private readonly config: AppConfig,
  ) {}

  /** The worker is closing: batches stop between messages, to be taken up again later. */
  close(): void {
    this.closing = true;
  }

  async run({ d: digestId, f: first }: BatchJobData): Promise<BatchResult> {
    const last = BigInt(batchLast(first));
    const rows = await this.deliveries.sendTargetsPage(
      digestId,
      [DeliveryStatus.Queued, DeliveryStatus.Sending],
      String(BigInt(first) - 1n),
      BATCH_SIZE,
      String(last),
    );
    const targets = rows.filter((row) => BigInt(row.id) <= last);
    const apart = targets.filter(
      (t) => t.status === DeliveryStatus.Sending || this.pacer.rates.has(t.domain.toLowerCase()),
    );
    await this.enqueuer.enqueueSingles(apart);
    const result: BatchResult = { outcomes: {}, handedOn: apart.length };
    const go = async () => {
      if (this.closing) result.stopped ??= 'closing';
      else if (!(await this.mayStillSend(digestId))) result.stopped ??= 'paused';
      return !result.stopped;
    };
    const settled = await Promise.allSettled(
      targets
        .filter((target) => !apart.includes(target))
        .map((target) =>
          this.slots.run(false, go, async () => {
            const outcome = await this.sendOne(target);
            // The claim found the digest paused before the gate did: the next messages stay queued.
            if (outcome === 'paused') result.stopped ??= 'paused';
            return outcome;
          }),
        ),
    );
    for (const outcome of settled) {
      if (outcome.status === 'rejected') throw outcome.reason; // The job's retry takes up what is left.
      if (outcome.value) result.outcomes[outcome.value] = (result.outcomes[outcome.value] ?? 0) + 1;
    }
    if (result.stopped === 'paused') {
      await this.refresh();
      if (this.open.has(digestId)) result.stopped = 'resumed';
    }
    return result;
  }

  /** The batch's attempt is each delivery's first: a temporary failure goes on in a job of its own. */
  private async sendOne(target: SendTarget): Promise<SendOutcome> {
    const { maxAttempts, backoffMs } = this.config.delivery;
    try {
      return await this.sender.send(target.id, maxAttempts <= 1, backoffMs);
    } catch (error) {
      if (!(error instanceof TemporarySendError)) throw error;
      await this.enqueuer.enqueueSingles([target], { delayMs: backoffMs, before: 1 });
      return 'retry';
    }
  }

  /**
   * Sending and not paused. A yes may be up to GATE_MS old (one query for every batch of the
   * process): the claim refuses a paused digest anyway. A no is asked again, fresh: a batch
   * started just after a resume must not stop on what the process knew just before it.
   */
  private async mayStillSend(digestId: string): Promise<boolean> {
    if (Date.now() - this.checkedAt > GATE_MS)
      this.checking ??= this.refresh().finally(() => (this.checking = undefined));
    await this.checking;
    if (this.open.has(digestId)) return true;
    await this.refresh();
    return this.open.has(digestId);
  }

  private async refresh(): Promise<void> {
    try {
      const started = Date.now();
      this.open = new Set(await this.digests.sendingIds());
      this.checkedAt = started;
    } catch (error) {
      this.logger.warn(`could not check the sending digests: ${(error as Error).message}`);
    }
  }
}
