import { Redis } from 'ioredis';
import { deleteKeysUnderPrefix, keysUnderPrefix } from '../src/common/redis/prefix-keys.js';
import { DemoRefusal } from './demo-refusal.js';

/**
 * The key that marks a Redis prefix as the demo's. The demo deletes keys only under a prefix that
 * carries it, so a REDIS_PREFIX shared with a running Tidings is refused, never emptied.
 */
const MARKER = 'demo-owner';

/** Refuses a prefix that holds keys the demo did not put there; changes nothing. */
export async function checkRedisPrefix(url: string, prefix: string): Promise<void> {
  await withRedis(url, async (redis) => {
    if (await redis.exists(markerKey(prefix))) return;
    if (await anyKey(redis, prefix)) {
      throw new DemoRefusal(
        `REDIS_PREFIX=${prefix} holds keys the demo did not put there (a running Tidings?); the demo only clears its own. Set REDIS_PREFIX to an unused prefix (the demo's default is tidings-demo)`,
      );
    }
  });
}

/** Deletes the keys of the demo's earlier runs under the prefix and marks the prefix as the demo's. */
export async function resetRedisPrefix(url: string, prefix: string): Promise<void> {
  await withRedis(url, async (redis) => {
    await deleteKeysUnderPrefix(redis, prefix);
    await redis.set(markerKey(prefix), 'keys under this prefix were made by npm run demo');
  });
}

function markerKey(prefix: string): string {
  return `${prefix}:${MARKER}`;
}

async function anyKey(redis: Redis, prefix: string): Promise<boolean> {
  for await (const keys of keysUnderPrefix(redis, prefix)) if (keys.length) return true;
  return false;
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}
