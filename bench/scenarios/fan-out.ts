import { DataSource } from 'typeorm';
import { FanOutService } from '../../src/delivery/fan-out.service.js';
import {
  benchConfig,
  benchDatabase,
  bootContext,
  insertRenderedDigest,
  insertSubscribers,
  report,
} from '../support/bench-context.js';

/** Release to every job enqueued, for N subscribers; peak memory of this process. */
const subscribers = Number(process.argv[2] ?? 10_000);
const database = await benchDatabase();
const app = await bootContext(benchConfig(database));
try {
  await insertSubscribers(app.get(DataSource), subscribers);
  const digest = await insertRenderedDigest(app);
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
  // What the fan-out keeps once it is done: garbage it made is not memory it holds.
  global.gc?.();
  const retainedMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
  report({
    subscribers,
    ms: Math.round(ms),
    peakRssMb: Math.round(peak / 2 ** 20),
    growthMb: Math.round((peak - before) / 2 ** 20),
    retainedHeapMb: retainedMb,
  });
} finally {
  await app.close();
  await database.drop();
}
