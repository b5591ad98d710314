import { Module } from '@nestjs/common';
import { AdminEventsModule } from './events/admin-events.module.js';
import { AdminDigestsModule } from './digests/admin-digests.module.js';
import { AdminSubscribersModule } from './subscribers/admin-subscribers.module.js';

/** The operator's API over several features; the features themselves never import it. */
@Module({ imports: [AdminSubscribersModule, AdminDigestsModule, AdminEventsModule] })
export class AdminModule {}
