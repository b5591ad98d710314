import type { RedisOptions } from 'ioredis';

/** ioredis options from a redis:// URL. `maxRetriesPerRequest: null` is what BullMQ workers require. */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** How long one Redis command made while answering a request may take. */
export const REQUEST_COMMAND_TIMEOUT_MS = 1_500;

/**
 * Bounds for clients used while answering a request (rate limits, health, and the queues' producers):
 * while Redis is away a command fails at once instead of waiting in ioredis' offline queue for
 * the whole outage, a command already written fails after REQUEST_COMMAND_TIMEOUT_MS, and
 * nothing is re-sent on reconnect, so a request answered 503 never completes later. The
 * connection itself keeps reconnecting in the background. Workers' blocking connections do not
 * use this: they wait for Redis as long as it takes.
 */
export const REQUEST_BOUNDS = {
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  commandTimeout: REQUEST_COMMAND_TIMEOUT_MS,
  autoResendUnfulfilledCommands: false,
  // Reconnect within 2 s of Redis coming back (BullMQ's own default waits up to 20 s).
  retryStrategy: (times: number) => Math.min(times * 200, 2_000),
};

export function requestRedisOptions(url: string): RedisOptions {
  return { ...redisOptions(url), ...REQUEST_BOUNDS };
}
