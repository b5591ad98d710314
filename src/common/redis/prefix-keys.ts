import type { Redis } from 'ioredis';

/**
 * Every key under `<prefix>:`, a SCAN page at a time, so a large keyspace is never listed at once.
 * For the tools around the service (tests, the demo) that clear or inspect one prefix.
 */
export async function* keysUnderPrefix(redis: Redis, prefix: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) yield keys;
    cursor = next;
  } while (cursor !== '0');
}

/** Deletes every key under `<prefix>:`. */
export async function deleteKeysUnderPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of keysUnderPrefix(redis, prefix)) await redis.del(...keys);
}
