import { Injectable } from '@nestjs/common';

export interface DigestProgress {
  digestId: string;
  /** Deliveries finished (sent, failed for good, bounced, skipped) over all deliveries, 0 to 1. */
  ratio: number;
}

/**
 * The progress of the latest digest, for `tidings_digest_progress_ratio`. Answers null (the
 * gauge then has no sample) until deliveries are recorded per digest (issue 5).
 */
@Injectable()
export class DigestProgressProvider {
  async lastDigestProgress(): Promise<DigestProgress | null> {
    return null;
  }
}
