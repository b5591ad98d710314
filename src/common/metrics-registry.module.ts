import { Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry.js';

/** The one Prometheus registry of the process, for the features that count and for /metrics that reads. */
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsRegistryModule {}
