import { Module } from '@nestjs/common';
import { MetricsRegistryModule } from '../common/metrics-registry.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DigestsModule } from '../digests/digests.module.js';
import { QueuesModule } from '../queues/queues.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { DigestProgressProvider } from './digest-progress.provider.js';
import { MetricsController } from './metrics.controller.js';
import { ScrapeGauges } from './scrape-gauges.js';

/** GET /metrics, and the gauges read at scrape time. The counters live where they are counted (mail/). */
@Module({
  imports: [MetricsRegistryModule, QueuesModule, SubscribersModule, DigestsModule, DeliveryModule],
  controllers: [MetricsController],
  providers: [ScrapeGauges, DigestProgressProvider],
})
export class MetricsModule {}
