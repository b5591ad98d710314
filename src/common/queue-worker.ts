import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Job, Worker, type WorkerOptions } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';
import type { ProcessRole } from '../config/process-role.js';
import type { QueueName } from './queue.constants.js';

/**
 * A BullMQ worker on one queue, started only in a process whose role runs workers. Used instead
 * of `@Processor` because some workers' options (concurrency, the global rate, the lock) come
 * from configuration, which a decorator, evaluated at import, cannot read; one pattern then
 * serves every queue. Subclasses stay thin: they hand each job to a plain service.
 */
export abstract class QueueWorker<T> implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private worker?: Worker<T>;

  protected constructor(
    private readonly queue: QueueName,
    private readonly role: ProcessRole,
    private readonly config: AppConfig,
  ) {}

  /** `token` is the job's lock, for a worker that moves its job itself (back to the delayed set). */
  abstract process(job: Job<T>, token?: string): Promise<void>;

  protected options(): Partial<WorkerOptions> {
    return {};
  }

  onApplicationBootstrap(): void {
    if (!this.role.workers) return;
    this.worker = new Worker<T>(this.queue, (job, token) => this.process(job, token), {
      // Not the queues' bounded connection (BullModule.forRoot): workers block on Redis and must not give up.
      connection: { url: this.config.redis.url, maxRetriesPerRequest: null },
      prefix: this.config.redis.prefix,
      ...this.options(),
    });
    // Without a listener an 'error' event would throw; a job Redis forgot (its data lost) lands here.
    this.worker.on('error', (error) => this.logger.warn(`worker error: ${error.message}`));
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`job ${job?.id} attempt ${job?.attemptsMade}: ${error.message}`),
    );
  }

  /** Before the database closes (that happens at application shutdown), so running jobs can record their outcome. */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
  }
}
