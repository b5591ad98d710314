import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../common/redis/redis.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { ConfirmationCapHealthIndicator } from './confirmation-cap.health.js';
import { HealthController } from './health.controller.js';
import { RedisHealthIndicator } from './redis.health.js';

@Module({
  imports: [TerminusModule, RedisModule, SubscribersModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, ConfirmationCapHealthIndicator],
})
export class HealthModule {}
