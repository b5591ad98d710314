import { type DynamicModule, Module } from '@nestjs/common';
import { AdminSubscribersController } from './admin-subscribers.controller.js';
import { AdminSubscribersCsvController } from './admin-subscribers-csv.controller.js';
import { SubscriberActionsService } from './subscriber-actions.service.js';
import { SubscriberCsvExportService } from './subscriber-csv-export.service.js';
import { SubscriberDirectoryService } from './subscriber-directory.service.js';
import { SubscriberHistoryService } from './subscriber-history.service.js';
import { SubscriberImportService } from './subscriber-import.service.js';

/** /admin/subscribers. */
@Module({})
export class AdminSubscribersModule {
  /** `subscribers` is the app's SubscribersModule instance (dynamic modules are told apart by reference). */
  static register(subscribers: DynamicModule): DynamicModule {
    return {
      module: AdminSubscribersModule,
      imports: [subscribers],
      // The CSV controller first: its /export must win over /:id (routes match in registration order).
      controllers: [AdminSubscribersCsvController, AdminSubscribersController],
      providers: [SubscriberDirectoryService, SubscriberHistoryService, SubscriberActionsService, SubscriberImportService, SubscriberCsvExportService],
      exports: [SubscriberHistoryService],
    };
  }
}
