import { Module } from '@nestjs/common';
import { DeliverabilityModule } from '../../deliverability/deliverability.module.js';
import { AdminEventsController } from './admin-events.controller.js';

/** /admin/events: the provider events the deliverability feature stored. */
@Module({ imports: [DeliverabilityModule], controllers: [AdminEventsController] })
export class AdminEventsModule {}
