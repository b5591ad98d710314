/** What a feature module registers in this process: the web app, a worker, or both. */
export interface FeatureModuleOptions {
  /** BullMQ processors. */
  workers: boolean;
  /** Cron jobs. */
  schedulers: boolean;
}
