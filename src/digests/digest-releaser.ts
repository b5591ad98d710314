import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { checkDigestForDelivery } from './digest-delivery-check.js';
import { Digest } from './digest.entity.js';
import { DigestNotFoundError, DigestRefusedError, DigestStateError } from './digest-errors.js';
import { DigestReleaseHooks } from './digest-release-hooks.js';
import { DigestStatus } from './digest-status.js';

/**
 * The one way a digest is released for sending: the pre-release check, then `composed ->
 * approved` as a conditional UPDATE (a concurrent cancel or second approve loses cleanly), then
 * the release hooks. Used by the weekly job when DIGEST_APPROVAL=auto and by the admin approve.
 */
@Injectable()
export class DigestReleaser {
  private readonly logger = new Logger(DigestReleaser.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly hooks: DigestReleaseHooks,
  ) {}

  async release(id: string): Promise<Digest> {
    const digests = this.dataSource.getRepository(Digest);
    const digest = await digests.findOneBy({ id });
    if (!digest) throw new DigestNotFoundError(id);
    if (digest.status !== DigestStatus.Composed) {
      throw new DigestStateError(`digest ${id} is ${digest.status}; only a composed digest can be approved`);
    }
    const problems = checkDigestForDelivery(digest);
    if (problems.length) {
      await digests.update({ id, status: DigestStatus.Composed }, { holdReason: `refused before release: ${problems.join('; ')}`.slice(0, 2000) });
      this.logger.error(`digest ${id} held back: ${problems.join('; ')}`);
      throw new DigestRefusedError(problems);
    }
    const [, changed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE digests SET status = 'approved', approved_at = now(), hold_reason = NULL WHERE id = $1 AND status = 'composed'`,
      [id],
    );
    if (!changed) {
      const now = await digests.findOneByOrFail({ id });
      throw new DigestStateError(`digest ${id} is ${now.status}; only a composed digest can be approved`);
    }
    const released = await digests.findOneByOrFail({ id });
    this.logger.log(`digest ${id} released for sending: "${released.subject}"`);
    await this.hooks.released(released);
    return released;
  }

  /** Hands an already released digest to the hooks again: the retry path after a crash between approve and hand-over. */
  async handOver(digest: Digest): Promise<void> {
    if (digest.status === DigestStatus.Approved) await this.hooks.released(digest);
  }
}
