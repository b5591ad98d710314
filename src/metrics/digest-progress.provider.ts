import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DigestProgress {
  digestId: string;
  /** Deliveries finished (sent, failed for good, bounced, skipped) over all deliveries, 0 to 1. */
  ratio: number;
}

/**
 * The progress of the latest digest whose send started, for `tidings_digest_progress_ratio`,
 * from the delivery counters (no scan). Null before any digest was sent.
 */
@Injectable()
export class DigestProgressProvider {
  constructor(private readonly dataSource: DataSource) {}

  async lastDigestProgress(): Promise<DigestProgress | null> {
    const [row] = await this.dataSource.query<{ id: string; total: number; done: number }[]>(
      `SELECT g.id, coalesce(sum(c.count), 0)::float AS total,
              coalesce(sum(c.count) FILTER (WHERE c.status IN ('sent', 'failed', 'bounced', 'skipped')), 0)::float AS done
         FROM (SELECT id FROM digests WHERE sending_at IS NOT NULL ORDER BY sending_at DESC LIMIT 1) g
         LEFT JOIN digest_delivery_counts c ON c.digest_id = g.id GROUP BY g.id`,
    );
    if (!row) return null;
    return { digestId: row.id, ratio: row.total ? row.done / row.total : 1 };
  }
}
