import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { QueueName } from '../common/queue.constants.js';
import { QueueWorker } from '../common/queue-worker.js';
import { AppConfig } from '../config/app-config.js';
import { FanOutService } from './fan-out.service.js';

export interface FanOutJobData {
  digestId: string;
}

/** One fan-out at a time per process: it is rare, and each one keeps PostgreSQL and Redis busy. */
@Injectable()
export class FanOutWorker extends QueueWorker<FanOutJobData> {
  constructor(
    private readonly fanOut: FanOutService,
    config: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.FanOut, role, config);
  }

  async process(job: Job<FanOutJobData>): Promise<void> {
    const result = await this.fanOut.fanOut(job.data.digestId);
    this.logger.log(
      `job ${job.id} attempt ${job.attemptsMade + 1}: ${result.subscribers} subscribers, ${result.enqueued} sends enqueued`,
    );
  }
}
