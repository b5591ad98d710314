import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Queue } from 'bullmq';
import { ProcessRole } from '../config/process-role.js';
import { DigestJob, QueueName } from '../common/queue.constants.js';
import { scheduleCron, unscheduleCron } from '../common/role-cron.js';
import { AppConfig } from '../config/app-config.js';
import type { DigestComposeJobData } from './digest-compose.job.js';
import { type DigestPeriod, periodJobId, scheduledPeriod } from './digest-period.js';

const JOB_NAME = 'weekly-digest';

export interface DigestTick {
  period: DigestPeriod;
  jobId: string;
}

/**
 * Fires on DIGEST_CRON in DIGEST_TIMEZONE and only decides and enqueues: the period is the week
 * ending at the time that was due, and its job id is derived from it, so every instance whose
 * cron fires enqueues the same job and BullMQ keeps one. (The unique period in PostgreSQL and the
 * composer's lock hold even if Redis forgot the job.) Registered at run time because the
 * expression comes from configuration, which a decorator cannot read.
 */
@Injectable()
export class WeeklyDigestScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WeeklyDigestScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    @InjectQueue(QueueName.Digests) private readonly queue: Queue<DigestComposeJobData>,
    private readonly config: AppConfig,
    private readonly role: ProcessRole,
  ) {}

  onApplicationBootstrap(): void {
    const { cron, timeZone } = this.config.digest;
    const onTick = () =>
      this.tick().then(
        () => undefined,
        (error: unknown) => this.logger.error(`weekly digest tick failed: ${(error as Error)?.stack ?? String(error)}`),
      );
    const job = scheduleCron(this.registry, this.role, JOB_NAME, { cronTime: cron, timeZone, onTick });
    if (job) this.logger.log(`weekly digest scheduled "${cron}" in ${timeZone}; next at ${job.nextDate().toISO()}`);
  }

  onModuleDestroy(): void {
    unscheduleCron(this.registry, JOB_NAME);
  }

  async tick(now = new Date()): Promise<DigestTick> {
    const period = scheduledPeriod(this.config.digest.cron, this.config.digest.timeZone, now);
    const jobId = periodJobId(period);
    await this.queue.add(
      DigestJob.Compose,
      { periodStart: period.start.toISOString(), periodEnd: period.end.toISOString() },
      { jobId },
    );
    this.logger.log(`enqueued ${jobId}`);
    return { period, jobId };
  }
}
