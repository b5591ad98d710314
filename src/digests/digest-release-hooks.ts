import { Injectable, Logger } from '@nestjs/common';

/**
 * Something that acts when a digest is released (status `approved`, committed). The delivery
 * fan-out (issue 5) is one. Contract: called at least once per released digest, possibly again
 * after a crash or a job retry, so it must be idempotent (deterministic job ids, a conditional
 * `approved -> sending` UPDATE); an error it throws propagates to the caller (the compose job
 * retries; the admin approve answers 500 and the digest stays approved).
 */
export interface DigestReleaseListener {
  digestReleased(digestId: string): Promise<void>;
}

/**
 * The seam between composing and sending. A listener registers itself once, typically in its
 * own `onModuleInit` (`hooks.register(this)`), so the delivery module can depend on the digests
 * module and not the other way round.
 */
@Injectable()
export class DigestReleaseHooks {
  private readonly logger = new Logger(DigestReleaseHooks.name);
  private readonly listeners: DigestReleaseListener[] = [];

  register(listener: DigestReleaseListener): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  async released(digestId: string): Promise<void> {
    if (!this.listeners.length)
      this.logger.warn(`digest ${digestId} released, but nothing delivers digests in this process yet`);
    for (const listener of this.listeners) await listener.digestReleased(digestId);
  }
}
