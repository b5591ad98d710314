import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeOrRefuse } from '../common/redis/rate-limit.js';
import { REDIS } from '../common/redis/redis.module.js';
import { AppConfig } from '../config/app-config.js';

/**
 * Subscription attempts per IP and per address, counted in Redis so the limits hold across
 * every app instance. Addresses are hashed before they become keys.
 */
@Injectable()
export class SubscriptionRateLimiter {
  private readonly perIp: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly perIpUnsolved: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    const prefix = `${config.redis.prefix}:rate`;
    this.perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:subscribe-ip`,
      points: config.subscriptions.limitPerIpPerMinute,
      duration: 60,
      // Refused at once while Redis is away: the request answers 503 instead of waiting.
      rejectIfRedisNotReady: true,
    });
    this.perAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:subscribe-address`,
      points: config.subscriptions.limitPerAddressPerHour,
      duration: 3600,
      rejectIfRedisNotReady: true,
    });
    this.perIpUnsolved = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:subscribe-ip-unsolved`,
      points: config.subscriptions.limitUnsolvedPerIpPerHour,
      duration: 3600,
      rejectIfRedisNotReady: true,
    });
  }

  /** `unsolved`: the post came without the bot check's solution, and also counts against the stricter hourly limit. */
  async consume(ip: string, email: string, unsolved = false): Promise<void> {
    // Together, so the Redis calls leave in one write (the client pipelines them).
    const outcomes = await Promise.allSettled([
      this.take(this.perIp, ip, 'from your network'),
      this.take(this.perAddress, createHash('sha256').update(email).digest('base64url'), 'for this address'),
      unsolved ? this.take(this.perIpUnsolved, ip, 'from your network without JavaScript') : undefined,
    ]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
  }

  private take(limiter: RateLimiterRedis, key: string, what: string): Promise<void> {
    return consumeOrRefuse(limiter, key, `Too many subscription attempts ${what}`);
  }
}
