import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DigestsModule } from '../digests/digests.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { ManageController } from './manage.controller.js';
import { WelcomeMailer } from './welcome-mailer.js';

/**
 * The subscriber's side that combines features (their data export reads deliveries too, the
 * welcome mail reads the digest archive), as admin/ is the operator's: it sits above delivery.
 */
@Module({
  imports: [SubscribersModule, DigestsModule, DeliveryModule, RenderingModule],
  controllers: [ManageController],
  providers: [WelcomeMailer],
})
export class AccountModule {}
