import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { ProcessRole } from '../config/process-role.js';

export interface RoleCronOptions {
  cronTime: string;
  timeZone?: string;
  onTick: () => Promise<void>;
}

/**
 * Registers and starts a named cron, but only in a process whose role runs schedulers: every
 * process declares the same providers, and workers must not fire crons. Registered at run time,
 * not with `@Cron`, because most expressions come from configuration. A tick waits for the
 * previous one to finish.
 */
export function scheduleCron(
  registry: SchedulerRegistry,
  role: ProcessRole,
  name: string,
  options: RoleCronOptions,
): CronJob | null {
  if (!role.schedulers) return null;
  const job = CronJob.from({
    cronTime: options.cronTime,
    timeZone: options.timeZone,
    onTick: options.onTick,
    waitForCompletion: true,
    start: false,
  });
  registry.addCronJob(name, job);
  job.start();
  return job;
}

/** The counterpart at shutdown: a cron registered by `scheduleCron`, if any, is stopped and forgotten. */
export function unscheduleCron(registry: SchedulerRegistry, name: string): void {
  if (registry.doesExist('cron', name)) registry.deleteCronJob(name);
}
