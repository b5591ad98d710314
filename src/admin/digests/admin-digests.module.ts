import { Module } from '@nestjs/common';
import { DeliveryModule } from '../../delivery/delivery.module.js';
import { DigestsModule } from '../../digests/digests.module.js';
import { SubscribersModule } from '../../subscribers/subscribers.module.js';
import { AdminDeliveriesController } from './admin-deliveries.controller.js';
import { AdminDigestsController } from './admin-digests.controller.js';
import { AdminDigestsService } from './admin-digests.service.js';

/** /admin/digests: composing, approving and following a send, over both the digests and the delivery features. */
@Module({
  imports: [DigestsModule, DeliveryModule, SubscribersModule],
  controllers: [AdminDigestsController, AdminDeliveriesController],
  providers: [AdminDigestsService],
  // The console's digest pages show the same view of a digest and its send.
  exports: [AdminDigestsService],
})
export class AdminDigestsModule {}
