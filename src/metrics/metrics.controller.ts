import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { METRICS_BEARER } from '../common/openapi.js';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';

@ApiTags('metrics')
@Controller('metrics')
@UseGuards(MetricsTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'Needs the bearer token only when METRICS_TOKEN is set.',
  })
  @ApiBearerAuth(METRICS_BEARER)
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(@Res() response: Response): Promise<void> {
    const body = await this.metrics.metrics();
    response.type(this.metrics.contentType).send(body);
  }
}
