/**
 * What this process does, injected as a token: the web entry serves HTTP and runs the crons
 * (and the queue workers too unless RUN_WORKERS=false); the worker entry runs only the queue
 * workers. Modules are static and always declare the same providers; a worker or a timer asks
 * the role whether to start.
 */
export abstract class ProcessRole {
  /** BullMQ workers consume the queues. */
  abstract readonly workers: boolean;
  /** Crons and timers (feed polls, the weekly digest, purges, the reconciler). */
  abstract readonly schedulers: boolean;
}

export const WEB_ROLE = (runWorkers: boolean): ProcessRole => ({ workers: runWorkers, schedulers: true });
export const WORKER_ROLE: ProcessRole = { workers: true, schedulers: false };
