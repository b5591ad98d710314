import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { AdminDigestsModule } from '../admin/digests/admin-digests.module.js';
import { AdminSubscribersModule } from '../admin/subscribers/admin-subscribers.module.js';
import { RedisModule } from '../common/redis/redis.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DigestsModule } from '../digests/digests.module.js';
import { MailModule } from '../mail/mail.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { AuditLogController } from './audit-log.controller.js';
import { ConsoleAuthGuard } from './console-auth.guard.js';
import { ConsoleDigestsController } from './console-digests.controller.js';
import { ConsoleKeys } from './console-keys.js';
import { ConsolePages } from './console-pages.js';
import { OverviewController } from './overview.controller.js';
import { ReadersController } from './readers.controller.js';
import { SettingsController } from './settings.controller.js';
import { SignInMailer } from './sign-in-mailer.js';
import { SignInRateLimiter } from './sign-in-rate-limiter.js';
import { SignInController } from './sign-in.controller.js';

const CONTROLLERS = [
  SignInController,
  OverviewController,
  ConsoleDigestsController,
  ReadersController,
  AuditLogController,
  SettingsController,
];

/**
 * The operator console: server-rendered pages behind a session that a mailed link opens. It
 * combines features like admin/ does, through the same services, and is the top layer.
 */
@Module({
  imports: [
    AdminDigestsModule,
    AdminSubscribersModule,
    DigestsModule,
    DeliveryModule,
    SubscribersModule,
    MailModule,
    RenderingModule,
    RedisModule,
  ],
  controllers: CONTROLLERS,
  providers: [ConsoleKeys, ConsolePages, ConsoleAuthGuard, SignInMailer, SignInRateLimiter],
})
export class ConsoleModule implements NestModule {
  constructor(private readonly keys: ConsoleKeys) {}

  /** The signed session cookie is read on console routes only. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cookieParser(this.keys.cookieSecret)).forRoutes(...CONTROLLERS);
  }
}
