import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { toInt } from './env-transforms.js';
import { FeedsEnv } from './feeds.env.js';

/** Sending: concurrency, rate, retries, the reconciler. */
export class DeliveryEnv extends FeedsEnv {
  /** Digest messages in flight at once in each worker process (it holds up to twice as many jobs). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DELIVERY_CONCURRENCY = 20;

  /** Messages per second across every worker: keep it under the SMTP provider's limit. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  DELIVERY_RATE_PER_SECOND = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  DELIVERY_MAX_ATTEMPTS = 6;

  /** First retry delay after a temporary failure; doubles on each attempt. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  DELIVERY_BACKOFF_MS = 30_000;

  /** How long a worker may hold a send before another worker takes it over as stalled. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  DELIVERY_LOCK_MS = 30_000;

  /** How often queued or sending deliveries without a live job are re-enqueued. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RECONCILE_INTERVAL_MS = 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(50_000)
  FANOUT_BATCH_SIZE = 2_000;

  /** Per-recipient-domain send rates across every worker, like `gmail.com=600/min,yahoo.com=300/min`. */
  @IsOptional()
  @IsString()
  DOMAIN_RATES?: string;
}
