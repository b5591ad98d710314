import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DigestCompletion } from './digest-completion.js';

export interface FanOutResult {
  digestId: string;
  /** Deliveries created by this call (0 when another call already did the work). */
  recipients: number;
  enqueued: number;
}

/** Enqueueing is the slow half; this many batches may be on their way to Redis at once. */
const ENQUEUES_IN_FLIGHT = 2;

/**
 * Turns a released digest into one delivery per confirmed reader, then one job per delivery.
 *
 * The recipients are frozen by a timestamp taken as the digest moves to `sending`: the readers
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
    private readonly dataSource: DataSource,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly completion: DigestCompletion,
    private readonly config: AppConfig,
  ) {}

  async fanOut(digestId: string): Promise<FanOutResult> {
    const started = Date.now();
    const frozenAt = await this.start(digestId);
    if (!frozenAt) return { digestId, recipients: 0, enqueued: 0 };

    let after = '00000000-0000-0000-0000-000000000000';
    let recipients = 0;
    let enqueued = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const [{ last, ids }] = await this.dataSource.query<[{ last: string | null; ids: string[] | null }]>(
        `WITH page AS (
           SELECT id FROM subscribers
           WHERE status = 'confirmed' AND coalesce(confirmed_at, '-infinity') <= $2 AND id > $3
           ORDER BY id LIMIT $4),
         created AS (
           INSERT INTO deliveries (digest_id, subscriber_id) SELECT $1, id FROM page
           ON CONFLICT (subscriber_id, digest_id) DO NOTHING RETURNING id)
         SELECT (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS last, (SELECT array_agg(id ORDER BY id) FROM created) AS ids`,
        [digestId, frozenAt, after, this.config.delivery.fanOutBatchSize],
      );
      if (!last) break;
      after = last;
      if (!ids?.length) continue;
      recipients += ids.length;
      if (inFlight.size >= ENQUEUES_IN_FLIGHT) await Promise.race(inFlight);
      const job = this.enqueuer.enqueueIds(ids).then((n) => void (enqueued += n));
      inFlight.add(job);
      void job.finally(() => inFlight.delete(job)).catch(() => undefined);
    }
    await Promise.all(inFlight);
    // A resumed fan-out also re-offers what the crashed one inserted but may not have enqueued.
    if (recipients === 0 || frozenAt.resumed) enqueued += await this.enqueuer.enqueue(digestId);
    await this.dataSource.query(`UPDATE digests SET fanned_out_at = now() WHERE id = $1 AND fanned_out_at IS NULL`, [digestId]);
    // No reader to wait for (nobody confirmed yet), or all already done: settle it now.
    await this.completion.check(digestId);
    this.logger.log(`digest ${digestId}: ${recipients} recipients, ${enqueued} sends enqueued in ${Date.now() - started} ms`);
    return { digestId, recipients, enqueued };
  }

  /** Moves an approved digest to sending and returns its freezing instant; or resumes an unfinished fan-out. */
  private async start(digestId: string): Promise<(Date & { resumed?: boolean }) | null> {
    const [[started]] = await this.dataSource.query<[{ recipients_frozen_at: Date }[], number]>(
      `UPDATE digests SET status = 'sending', sending_at = now(), recipients_frozen_at = now()
       WHERE id = $1 AND status = 'approved' RETURNING recipients_frozen_at`,
      [digestId],
    );
    if (started) return started.recipients_frozen_at;
    const [unfinished] = await this.dataSource.query<{ recipients_frozen_at: Date }[]>(
      `SELECT recipients_frozen_at FROM digests WHERE id = $1 AND status = 'sending' AND fanned_out_at IS NULL`,
      [digestId],
    );
    return unfinished ? Object.assign(unfinished.recipients_frozen_at, { resumed: true }) : null;
  }
}
