import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { FanOutService } from '../../src/delivery/fan-out.service.js';
import {
  benchConfig,
  benchDatabase,
  bootContext,
  insertRenderedDigest,
  insertSubscribers,
  REDIS_URL,
  report,
} from '../support/bench-context.js';

/** Redis's own count of the memory it holds (INFO memory's used_memory), in bytes. */
async function redisUsedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

/**
 * Release to every job enqueued, for N subscribers; peak memory of this process, and what the
 * queued send jobs cost Redis per reader (no worker runs, so every job is still waiting).
 */
const subscribers = Number(process.argv[2] ?? 10_000);
const database = await benchDatabase();
const app = await bootContext(benchConfig(database));
try {
  await insertSubscribers(app.get(DataSource), subscribers);
  const digest = await insertRenderedDigest(app);
  const redis = new Redis(REDIS_URL);
  const redisBefore = await redisUsedMemory(redis);
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const result = await app.get(FanOutService).fanOut(digest.id);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (result.enqueued !== subscribers) throw new Error(`enqueued ${result.enqueued} of ${subscribers}`);
  const redisBytesPerReader = ((await redisUsedMemory(redis)) - redisBefore) / subscribers;
  // The jobs are not left in a Redis other runs measure.
  for await (const keys of redis.scanStream({ match: `${database.prefix}:*`, count: 1000 }))
    if ((keys as string[]).length) await redis.del(...(keys as string[]));
  redis.disconnect();
  // What the fan-out keeps once it is done: garbage it made is not memory it holds.
  global.gc?.();
  const retainedMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
  report({
    subscribers,
    ms: Math.round(ms),
    peakRssMb: Math.round(peak / 2 ** 20),
    growthMb: Math.round((peak - before) / 2 ** 20),
    retainedHeapMb: retainedMb,
    redisBytesPerReader: Number(redisBytesPerReader.toFixed(1)),
  });
} finally {
  await app.close();
  await database.drop();
}
