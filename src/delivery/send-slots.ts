import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config.js';
import type { DomainRate } from '../config/domain-rates.js';
import { DomainPacer } from './domain-pacer.js';

/**
 * DELIVERY_CONCURRENCY and DELIVERY_RATE_PER_SECOND, per message rather than per job: a batch job
 * holds many messages, so BullMQ's own concurrency and limiter (which count jobs) no longer say how
 * many messages are in flight. Every send of this process takes one of the slots, a
 * single-delivery job (a retry, a paced reader) ahead of the batches waiting for one; then it
 * reserves its turn on the rate shared by every worker, the same way a paced domain does.
 */
@Injectable()
export class SendSlots {
  private free: number;
  private readonly urgent: Array<() => void> = [];
  private readonly waiting: Array<() => void> = [];
  private readonly everyone: DomainRate;

  constructor(
    private readonly pacer: DomainPacer,
    config: AppConfig,
  ) {
    const { concurrency, ratePerSecond } = config.delivery;
    this.free = concurrency;
    // '*' is no domain name, so it shares no key with DOMAIN_RATES.
    this.everyone = { domain: '*', count: ratePerSecond, periodMs: 1000, intervalMs: 1000 / ratePerSecond };
  }

  /**
   * Runs `send` in a slot, in its turn on the global rate. `go` is asked once the slot is held and
   * before the turn is taken: false (paused, cancelled, shutting down) gives the slot back unused.
   */
  async run<T>(urgent: boolean, go: () => boolean | Promise<boolean>, send: () => Promise<T>): Promise<T | undefined> {
    await this.acquire(urgent);
    try {
      if (!(await go())) return undefined;
      const waitMs = await this.pacer.reserve(this.everyone);
      if (waitMs > 0) await sleep(waitMs);
      return await send();
    } finally {
      this.release();
    }
  }

  private acquire(urgent: boolean): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => (urgent ? this.urgent : this.waiting).push(resolve));
  }

  private release(): void {
    const next = this.urgent.shift() ?? this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
