import { Injectable } from '@nestjs/common';
import type { TransactionalMailJob } from '../common/queue.constants.js';
import type { TransactionalMailHandler } from './transactional-mail.job.js';

/**
 * Who sends each kind of transactional mail. The transactional queue has one worker, here; a
 * feature above this one (the welcome mail reads the digest archive) registers its handler in its
 * own `onModuleInit`, so this layer never imports it.
 */
@Injectable()
export class TransactionalMailHandlers {
  private readonly handlers = new Map<TransactionalMailJob, TransactionalMailHandler<unknown>>();

  register<T>(job: TransactionalMailJob, handler: TransactionalMailHandler<T>): void {
    this.handlers.set(job, handler);
  }

  /** Throws for a job nobody handles: the job fails and is retried, rather than being dropped unseen. */
  of(job: string): TransactionalMailHandler<unknown> {
    const handler = this.handlers.get(job as TransactionalMailJob);
    if (!handler) throw new Error(`no handler for transactional mail job "${job}"`);
    return handler;
  }
}
