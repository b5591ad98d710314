import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type ComposeOutcome, DigestComposer } from './digest-composer.js';
import { DigestPeriodTakenError, DigestRefusedError } from './digest-errors.js';
import type { DigestPeriod } from './digest-period.js';
import { DigestReleaser } from './digest-releaser.js';
import { DigestStatus } from './digest-status.js';

/**
 * What the weekly job does: refresh the feeds, compose the period's digest, and release it when
 * DIGEST_APPROVAL=auto. Safe to run again for the same period (a retry, a second instance): the
 * digest is composed once, released once, and an approved one is handed over again.
 */
@Injectable()
export class WeeklyDigestService {
  private readonly logger = new Logger(WeeklyDigestService.name);

  constructor(
    private readonly composer: DigestComposer,
    private readonly releaser: DigestReleaser,
    private readonly config: AppConfig,
  ) {}

  async run(period: DigestPeriod): Promise<ComposeOutcome> {
    return this.finish(await this.composer.compose(period));
  }

  /**
   * An operator's "compose now": the same compose, release and one-digest-per-period rule as the
   * weekly job, but a period that already has its digest is a 409 naming it, not a quiet retry.
   */
  async composeNow(period: DigestPeriod): Promise<ComposeOutcome> {
    const outcome = await this.composer.compose(period);
    if (!outcome.created) throw new DigestPeriodTakenError(outcome.digest.id);
    return this.finish(outcome);
  }

  private async finish(outcome: ComposeOutcome): Promise<ComposeOutcome> {
    const { digest } = outcome;
    if (this.config.digest.approval === 'required') {
      if (digest.status === DigestStatus.Composed)
        this.logger.log(`digest ${digest.id} waits for an operator's approval (DIGEST_APPROVAL=required)`);
      return outcome;
    }
    if (digest.status === DigestStatus.Composed) {
      try {
        return { ...outcome, digest: await this.releaser.release(digest.id) };
      } catch (error) {
        // Held back with its reason recorded: retrying would not change the verdict.
        if (error instanceof DigestRefusedError) return { ...outcome, digest: await this.composer.reload(digest.id) };
        throw error;
      }
    }
    if (!outcome.created) await this.releaser.handOver(digest);
    return outcome;
  }
}
