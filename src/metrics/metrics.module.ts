import { Global, Module } from '@nestjs/common';
import { QueuesModule } from '../queues/queues.module.js';
import { DigestProgressProvider } from './digest-progress.provider.js';
import { MailMetrics } from '../mail/mail-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { ScrapeGauges } from './scrape-gauges.js';

/** Global, so that any sender can inject MailMetrics without importing this module. */
@Global()
@Module({
  imports: [QueuesModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, MailMetrics, ScrapeGauges, DigestProgressProvider],
  exports: [MetricsRegistry, MailMetrics, DigestProgressProvider],
})
export class MetricsModule {}
