import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../common/redis/redis.module.js';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis.health.js';

@Module({ imports: [TerminusModule, RedisModule], controllers: [HealthController], providers: [RedisHealthIndicator] })
export class HealthModule {}
