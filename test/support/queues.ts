import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { TestApp } from './test-app.js';
import { waitFor } from './wait-for.js';

/** Waits until a queue has nothing waiting, active, delayed or prioritised. */
export async function waitForQueueDrained(app: TestApp, name: string, timeoutMs = 30_000): Promise<void> {
  const queue = app.app.get<Queue>(getQueueToken(name));
  await waitFor(
    async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    },
    { timeoutMs, what: `queue ${name} to drain` },
  );
}
