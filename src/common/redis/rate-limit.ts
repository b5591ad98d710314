import { HttpException, HttpStatus } from '@nestjs/common';
import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Takes one point for `key`, or refuses with a 429 whose message says `refusal` and when to try
 * again (and a Retry-After). Redis errors pass through, so an outage answers 503, not 429.
 */
export async function consumeOrRefuse(limiter: RateLimiterRedis, key: string, refusal: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const minutes = Math.max(1, Math.ceil(error.msBeforeNext / 60_000));
    throw new HttpException(
      {
        message: `${refusal}; try again in ${minutes} minute${minutes > 1 ? 's' : ''}`,
        retryAfter: Math.ceil(error.msBeforeNext / 1000),
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
