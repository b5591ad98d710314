import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '../common/queue.constants.js';
import { type DigestReleaseListener, DigestReleaseHooks } from '../digests/digest-release-hooks.js';
import type { FanOutJobData } from './fan-out.worker.js';

/**
 * Hands a released digest to the fan-out queue: approving stays a quick request however many
 * subscribers there are. The job id is the digest's, so a second release enqueues nothing; should
 * Redis lose the job, the reconciler fans out approved digests itself.
 */
@Injectable()
export class DigestReleaseListenerForDelivery implements DigestReleaseListener, OnModuleInit {
  constructor(
    private readonly hooks: DigestReleaseHooks,
    @InjectQueue(QueueName.FanOut) private readonly queue: Queue<FanOutJobData>,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async digestReleased(digestId: string): Promise<void> {
    await this.queue.add('fan-out', { digestId }, { jobId: `fan-out-${digestId}` });
  }
}
