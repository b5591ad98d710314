import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { outageOf } from '../common/outage.js';
import { SubscriberStatus } from '../subscribers/subscriber-status.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { type DigestOutcome, DigestProgressProvider } from './digest-progress.provider.js';
import { MetricsRegistry } from '../common/metrics-registry.js';

/**
 * While PostgreSQL or Redis is down, a gauge that cannot be read is left out of the scrape (no
 * stale value) and the rest still answers: /metrics says what it can.
 */
async function tolerant(gauge: Gauge, read: () => Promise<void>): Promise<void> {
  try {
    await read();
  } catch (error) {
    if (!outageOf(error)) throw error;
    gauge.reset();
  }
}

/**
 * Gauges read at scrape time from PostgreSQL and Redis, so they are right whichever process
 * did the work, and cost nothing between scrapes.
 */
@Injectable()
export class ScrapeGauges {
  constructor(
    { registry }: MetricsRegistry,
    queues: QueueRegistry,
    subscribers: SubscribersRepository,
    progress: DigestProgressProvider,
  ) {
    new Gauge({
      name: 'tidings_queue_jobs',
      help: 'Jobs per BullMQ queue and state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        await tolerant(this, async () => {
          for (const { name, counts } of await queues.counts()) {
            for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
          }
        });
      },
    });
    new Gauge({
      name: 'tidings_queue_paused',
      help: '1 when a BullMQ queue is paused',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        await tolerant(this, async () => {
          for (const { name, paused } of await queues.counts()) this.set({ queue: name }, paused ? 1 : 0);
        });
      },
    });
    new Gauge({
      name: 'tidings_subscribers',
      help: 'Subscribers per subscription status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        await tolerant(this, async () => {
          const rows = await subscribers.countByStatus();
          for (const status of Object.values(SubscriberStatus))
            this.set({ status }, rows.find((row) => row.status === status)?.count ?? 0);
        });
      },
    });
    new Gauge({
      name: 'tidings_digest_progress_ratio',
      help: "Share of the latest digest's deliveries that are finished, 0 to 1",
      labelNames: ['digest_id'],
      registers: [registry],
      async collect() {
        this.reset();
        await tolerant(this, async () => {
          const last = await progress.lastDigestProgress();
          if (last) this.set({ digest_id: last.digestId }, last.ratio);
        });
      },
    });
    const outcomes = (name: string, help: string, value: (o: { count: number; rate: number }) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['digest_id', 'outcome'],
        registers: [registry],
        async collect() {
          this.reset();
          await tolerant(this, async () => {
            const last = await progress.lastDigestProgress();
            if (!last) return;
            for (const outcome of Object.keys(last.outcomes) as DigestOutcome[])
              this.set({ digest_id: last.digestId, outcome }, value(last.outcomes[outcome]));
          });
        },
      });
    outcomes(
      'tidings_digest_outcomes',
      "The latest digest's bounced and complained deliveries, and the unsubscribes made from its mails",
      (o) => o.count,
    );
    outcomes(
      'tidings_digest_outcome_rate',
      "The latest digest's bounces, complaints and unsubscribes over its deliveries that reached the provider, 0 to 1",
      (o) => o.rate,
    );
  }
}
