import { type DynamicModule, Module } from '@nestjs/common';
import { AdminReadersController } from './admin-readers.controller.js';
import { AdminReadersCsvController } from './admin-readers-csv.controller.js';
import { ReaderActionsService } from './reader-actions.service.js';
import { ReaderCsvExportService } from './reader-csv-export.service.js';
import { ReaderDirectoryService } from './reader-directory.service.js';
import { ReaderHistoryService } from './reader-history.service.js';
import { ReaderImportService } from './reader-import.service.js';

/** /admin/readers. */
@Module({})
export class AdminReadersModule {
  /** `subscribers` is the app's SubscribersModule instance (dynamic modules are told apart by reference). */
  static register(subscribers: DynamicModule): DynamicModule {
    return {
      module: AdminReadersModule,
      imports: [subscribers],
      // The CSV controller first: its /export must win over /:id (routes match in registration order).
      controllers: [AdminReadersCsvController, AdminReadersController],
      providers: [ReaderDirectoryService, ReaderHistoryService, ReaderActionsService, ReaderImportService, ReaderCsvExportService],
      exports: [ReaderHistoryService],
    };
  }
}
