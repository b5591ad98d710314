import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SubscribersModule } from '../subscribers/subscribers.module.js';
import { ManageController } from './manage.controller.js';

/**
 * The subscriber's side that combines features (their data export reads deliveries too), as
 * admin/ is the operator's: it sits above delivery.
 */
@Module({ imports: [SubscribersModule, DeliveryModule, RenderingModule], controllers: [ManageController] })
export class AccountModule {}
