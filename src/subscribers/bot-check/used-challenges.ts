import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../common/redis/redis.module.js';
import { AppConfig } from '../../config/app-config.js';

/**
 * Signatures of the challenges already solved, each kept until its challenge expires, so that one
 * solution passes once. Redis is only transport here too: were the keys lost, a solution from the
 * last few minutes could pass a second time, and the other limits would still hold.
 */
@Injectable()
export class UsedChallenges {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** True the first time a challenge is claimed, false ever after (until it has expired anyway). */
  async claim(signature: string, expiresAt: Date): Promise<boolean> {
    const ttlMs = Math.max(1_000, expiresAt.getTime() - Date.now());
    const key = `${this.config.redis.prefix}:altcha-used:${signature}`;
    // SET NX: of two posts of one solution racing each other, exactly one claims it.
    return (await this.redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}
