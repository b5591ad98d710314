import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { QueueName } from '../common/queue.constants.js';
import { FanOutService } from './fan-out.service.js';

export interface FanOutJobData {
  digestId: string;
}

@Processor(QueueName.FanOut, { concurrency: 1 })
export class FanOutProcessor extends WorkerHost {
  private readonly logger = new Logger(FanOutProcessor.name);

  constructor(private readonly fanOut: FanOutService) {
    super();
  }

  async process(job: Job<FanOutJobData>): Promise<void> {
    const result = await this.fanOut.fanOut(job.data.digestId);
    this.logger.log(`job ${job.id} attempt ${job.attemptsMade + 1}: ${result.subscribers} subscribers, ${result.enqueued} sends enqueued`);
  }
}
