import { Controller, Get, Logger, Res } from '@nestjs/common';
import { type HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { ConfirmationCapHealthIndicator } from './confirmation-cap.health.js';
import { RedisHealthIndicator } from './redis.health.js';

type State = 'up' | 'down';

/** What GET /health answers: each dependency's state by name, and the probes' details. */
export interface HealthBody {
  status: 'ok' | 'error';
  database: State;
  redis: State;
  details: HealthIndicatorResult;
}

/**
 * 200 when PostgreSQL and Redis both answer, 503 otherwise; either way the body names each
 * dependency and its state (`database: down`, `redis: up`). It answers itself rather than
 * through Terminus' HealthCheckService, whose 503 the error filter would flatten and which logs
 * a stack trace on every failing probe: here a failing probe logs one line, and only when its
 * state changes, so a load balancer polling every second does not flood the log.
 */
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  private readonly last = new Map<string, State>();

  constructor(
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly confirmationCap: ConfirmationCapHealthIndicator,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthBody> {
    const [database, redis, confirmationMails] = await Promise.all([
      this.database.pingCheck('database', { timeout: 1500 }),
      this.redis.ping('redis'),
      // A warning only (the form under attack, or a launch): it never turns the answer into a 503.
      this.confirmationCap.check('confirmationMails').catch(() => ({})),
    ]);
    const details: HealthIndicatorResult = { ...database, ...redis, ...confirmationMails };
    const state = (key: string): State => (details[key]?.status === 'up' ? 'up' : 'down');
    for (const key of ['database', 'redis']) this.note(key, state(key), details[key]);
    const body: HealthBody = {
      status: state('database') === 'up' && state('redis') === 'up' ? 'ok' : 'error',
      database: state('database'),
      redis: state('redis'),
      details,
    };
    response.status(body.status === 'ok' ? 200 : 503);
    return body;
  }

  private note(key: string, state: State, detail: Record<string, unknown> | undefined): void {
    if (this.last.get(key) === state) return;
    if (state === 'down')
      this.logger.warn(`${key} is down: ${typeof detail?.message === 'string' ? detail.message : 'no answer'}`);
    else if (this.last.has(key)) this.logger.log(`${key} is up again`);
    this.last.set(key, state);
  }
}
