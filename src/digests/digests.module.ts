import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { FeatureModuleOptions } from '../common/feature-module-options.js';
import { QueueName } from '../common/queue.constants.js';
import { DigestArchiveController } from './digest-archive.controller.js';
import { DigestArchiveService } from './digest-archive.service.js';
import { DigestComposer } from './digest-composer.js';
import { DigestReleaseHooks } from './digest-release-hooks.js';
import { DigestReleaser } from './digest-releaser.js';
import { DigestRenderer } from './digest-renderer.js';
import { DigestsAdminController } from './digests-admin.controller.js';
import { DigestsProcessor } from './digests.processor.js';
import { DigestsService } from './digests.service.js';
import { WeeklyDigestScheduler } from './weekly-digest.scheduler.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

@Module({})
export class DigestsModule {
  /**
   * `posts` is the PostsModule instance the app already imports: Nest tells dynamic modules
   * apart by reference, and a second `PostsModule.register()` would run its crons twice.
   */
  static register(options: FeatureModuleOptions, posts: DynamicModule): DynamicModule {
    return {
      module: DigestsModule,
      imports: [BullModule.registerQueue({ name: QueueName.Digests }), posts],
      controllers: [DigestsAdminController, DigestArchiveController],
      providers: [
        DigestRenderer,
        DigestComposer,
        DigestReleaseHooks,
        DigestReleaser,
        WeeklyDigestService,
        DigestsService,
        DigestArchiveService,
        ...(options.workers ? [DigestsProcessor] : []),
        ...(options.schedulers ? [WeeklyDigestScheduler] : []),
      ],
      exports: [DigestComposer, DigestReleaser, DigestReleaseHooks, DigestRenderer, DigestsService],
    };
  }
}
