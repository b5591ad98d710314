import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../common/redis/rate-limit.js';
import { REDIS } from '../common/redis/redis.module.js';
import { AppConfig } from '../config/app-config.js';

/** Sign-in attempts (asking for a link, using one) per IP and per account, in Redis like the subscribe form's. */
@Injectable()
export class SignInRateLimiter {
  private readonly perIp: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    const keyPrefix = `${config.redis.prefix}:rate:console-sign-in`;
    const limiter = (what: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${keyPrefix}-${what}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
      });
    this.perIp = limiter('ip', 30, 15 * 60);
    this.perAccount = limiter('account', 5, 60 * 60);
  }

  /** `account`: the address asked for (hashed into the key), when there is one. */
  async consume(ip: string, account?: string): Promise<void> {
    await consumeOrRefuse(this.perIp, ip, 'Too many sign-in attempts from your network');
    if (account === undefined) return;
    const key = createHash('sha256').update(account.toLowerCase()).digest('base64url');
    await consumeOrRefuse(this.perAccount, key, 'Too many sign-in links asked for this address');
  }
}
