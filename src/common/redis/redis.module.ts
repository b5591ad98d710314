import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config.js';
import { requestRedisOptions } from './redis-options.js';

export const REDIS = Symbol('REDIS');

/** One shared Redis connection for rate limits and health checks (BullMQ opens its own); bounded, as requests use it. */
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      // Auto-pipelining sends the commands of concurrent requests (rate limits) in one write.
      useFactory: (config: AppConfig) =>
        new Redis({ ...requestRedisOptions(config.redis.url), lazyConnect: false, enableAutoPipelining: true }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
