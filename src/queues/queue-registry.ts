import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QueueName } from '../common/queue.constants.js';

/** BullMQ 6 has no `paused` job state: a paused queue keeps its jobs waiting, and says so by a flag. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];
export type JobCounts = Record<JobState, number>;

/**
 * Every BullMQ queue of the app: the names of QueueName that some module registered. Looked up
 * across modules (strict: false) on first use, so a feature adding a queue needs no change here.
 */
@Injectable()
export class QueueRegistry {
  private found?: Queue[];

  constructor(private readonly moduleRef: ModuleRef) {}

  queues(): Queue[] {
    this.found ??= Object.values(QueueName).flatMap((name) => {
      try {
        return [this.moduleRef.get<Queue>(getQueueToken(name), { strict: false })];
      } catch {
        return []; // Named, but not registered in this process.
      }
    });
    return this.found;
  }

  /** Job counts per state, and whether the queue is paused. */
  async counts(): Promise<{ name: string; counts: JobCounts; paused: boolean }[]> {
    return Promise.all(
      this.queues().map(async (queue) => {
        const [raw, paused] = await Promise.all([queue.getJobCounts(...JOB_STATES), queue.isPaused()]);
        const counts = Object.fromEntries(JOB_STATES.map((state) => [state, raw[state] ?? 0])) as JobCounts;
        return { name: queue.name, counts, paused };
      }),
    );
  }
}
