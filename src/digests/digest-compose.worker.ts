import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { DigestJob, QueueName } from '../common/queue.constants.js';
import { QueueWorker } from '../common/queue-worker.js';
import { AppConfig } from '../config/app-config.js';
import type { DigestComposeJobData } from './digest-compose.job.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

/** One digest at a time: composing is rare, and the composer serialises on a lock anyway. */
@Injectable()
export class DigestComposeWorker extends QueueWorker<DigestComposeJobData> {
  constructor(
    private readonly weekly: WeeklyDigestService,
    config: AppConfig,
    role: ProcessRole,
  ) {
    super(QueueName.Digests, role, config);
  }

  async process(job: Job<DigestComposeJobData>): Promise<void> {
    if (job.name !== String(DigestJob.Compose))
      throw new Error(`unknown job ${job.name} on queue ${QueueName.Digests}`);
    const started = Date.now();
    const { digest, created } = await this.weekly.run({
      start: new Date(job.data.periodStart),
      end: new Date(job.data.periodEnd),
    });
    this.logger.log(
      `job ${job.id} attempt ${job.attemptsMade + 1}: digest ${digest.id} ${created ? 'composed' : 'already existed'}, now ${digest.status}, in ${Date.now() - started} ms`,
    );
  }
}
