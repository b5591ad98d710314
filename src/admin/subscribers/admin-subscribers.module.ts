import { Module } from '@nestjs/common';
import { DeliveryModule } from '../../delivery/delivery.module.js';
import { SubscribersModule } from '../../subscribers/subscribers.module.js';
import { AdminSubscribersController } from './admin-subscribers.controller.js';
import { AdminSubscribersCsvController } from './admin-subscribers-csv.controller.js';
import { SubscriberActionsService } from './subscriber-actions.service.js';
import { SubscriberCsvExportService } from './subscriber-csv-export.service.js';
import { SubscriberDirectoryService } from './subscriber-directory.service.js';
import { SubscriberImportService } from './subscriber-import.service.js';

/** /admin/subscribers: search, consent and delivery history, export, erasure, CSV import. */
@Module({
  imports: [SubscribersModule, DeliveryModule],
  // The CSV controller first: its /export must win over /:id (routes match in registration order).
  controllers: [AdminSubscribersCsvController, AdminSubscribersController],
  providers: [
    SubscriberDirectoryService,
    SubscriberActionsService,
    SubscriberImportService,
    SubscriberCsvExportService,
  ],
  // The console's readers page searches the same way.
  exports: [SubscriberDirectoryService],
})
export class AdminSubscribersModule {}
