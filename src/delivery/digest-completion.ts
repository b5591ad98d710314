import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DigestsRepository } from '../digests/digests.repository.js';

/**
 * Marks a digest sent once its fan-out is complete and none of its deliveries is queued or sending. Checked shortly after
 * the last outcome a worker records (debounced per digest, so 500 sends a second cost one
 * query, not 500), and by the reconciler on its rounds.
 */
@Injectable()
export class DigestCompletion implements OnApplicationShutdown {
  private readonly logger = new Logger(DigestCompletion.name);
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly digests: DigestsRepository) {}

  touched(digestId: string): void {
    clearTimeout(this.timers.get(digestId));
    this.timers.set(
      digestId,
      setTimeout(() => {
        this.timers.delete(digestId);
        this.check(digestId).catch((error) =>
          this.logger.error(`completion check of ${digestId} failed: ${(error as Error).message}`),
        );
      }, 250),
    );
  }

  /** Returns true when this call marked the digest sent. */
  async check(digestId: string): Promise<boolean> {
    const marked = await this.digests.markSentIfDone(digestId);
    if (marked) this.logger.log(`digest ${digestId} sent to every subscriber`);
    return marked;
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
  }
}
