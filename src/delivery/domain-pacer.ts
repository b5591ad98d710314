import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module.js';
import { AppConfig } from '../config/app-config.js';
import type { DomainRate } from '../config/domain-rates.js';

/**
 * Reserves the next send slot of a domain, atomically across every worker: the key holds the
 * time the domain's next slot is free (GCRA's "theoretical arrival time"); a reservation takes
 * max(now, that time) and moves it on by the domain's interval. Returns how many ms ahead the
 * slot is. Redis's own clock is used, so workers on several machines need no synced clocks.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
local after = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.ceil(after - now) + 60000)
return math.floor(slot - now)
`;

/**
 * DOMAIN_RATES across workers. Each job reserves one slot, once, and waits for it in BullMQ's
 * delayed set: a domain over its rate neither holds a worker nor wakes its jobs again and again
 * to ask, and the other domains go at full speed. rate-limiter-flexible, used for the subscribe
 * limits, counts in fixed windows and only says "no, try in n ms", which would bring every
 * waiting job back each window; a reservation gives each its own time.
 */
@Injectable()
export class DomainPacer {
  readonly rates: ReadonlyMap<string, DomainRate>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {
    this.rates = new Map(config.delivery.domainRates.map((rate) => [rate.domain, rate]));
  }

  /** How many ms from now the reserved slot is. */
  async reserve(rate: DomainRate): Promise<number> {
    const key = `${this.config.redis.prefix}:pace:${rate.domain}`;
    return Number(await this.redis.eval(RESERVE, 1, key, String(rate.intervalMs)));
  }
}
