import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QueueName } from '../common/queue.constants.js';
import { MailModule } from '../mail/mail.module.js';
import { PostsModule } from '../posts/posts.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { DigestArchiveController } from './digest-archive.controller.js';
import { DigestArchiveRepository } from './digest-archive.repository.js';
import { DigestArchiveService } from './digest-archive.service.js';
import { DigestComposeWorker } from './digest-compose.worker.js';
import { DigestComposer } from './digest-composer.js';
import { DigestReleaseHooks } from './digest-release-hooks.js';
import { DigestReleaser } from './digest-releaser.js';
import { DigestRenderer } from './digest-renderer.js';
import { DigestsRepository } from './digests.repository.js';
import { DigestsService } from './digests.service.js';
import { WeeklyDigestScheduler } from './weekly-digest.scheduler.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

/** The weekly schedule, composing, release and the public archive; owns the digests and digest_posts tables. */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Digests }), PostsModule, MailModule, RenderingModule],
  controllers: [DigestArchiveController],
  providers: [
    DigestsRepository,
    DigestRenderer,
    DigestComposer,
    DigestReleaseHooks,
    DigestReleaser,
    WeeklyDigestService,
    DigestsService,
    DigestArchiveRepository,
    DigestArchiveService,
    DigestComposeWorker,
    WeeklyDigestScheduler,
  ],
  exports: [
    DigestsRepository,
    DigestArchiveService,
    DigestComposer,
    DigestReleaser,
    DigestReleaseHooks,
    DigestRenderer,
    DigestsService,
    WeeklyDigestService,
  ],
})
export class DigestsModule {}
