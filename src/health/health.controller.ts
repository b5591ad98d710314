import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ConfirmationCapHealthIndicator } from './confirmation-cap.health.js';
import { RedisHealthIndicator } from './redis.health.js';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly confirmationCap: ConfirmationCapHealthIndicator,
  ) {}

  /** 200 when PostgreSQL and Redis both answer, 503 with the failing one named otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1500),
      () => this.redis.ping('redis'),
      () => this.confirmationCap.check('confirmationMails'),
    ]);
  }
}
