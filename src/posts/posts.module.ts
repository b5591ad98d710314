import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FeatureModuleOptions } from '../common/feature-module-options.js';
import { AdminFeedsController } from './admin-feeds.controller.js';
import { AdminPostsController } from './admin-posts.controller.js';
import { FeedFetcher } from './feed-fetcher.js';
import { FeedPollScheduler } from './feed-poll.scheduler.js';
import { FeedPoller } from './feed-poller.js';
import { Feed } from './feed.entity.js';
import { FeedsService } from './feeds.service.js';
import { PostsService } from './posts.service.js';

@Module({})
export class PostsModule {
  static register(options: FeatureModuleOptions): DynamicModule {
    return {
      module: PostsModule,
      imports: [TypeOrmModule.forFeature([Feed])],
      controllers: [AdminPostsController, AdminFeedsController],
      providers: [FeedFetcher, FeedsService, PostsService, FeedPoller, ...(options.schedulers ? [FeedPollScheduler] : [])],
      exports: [FeedPoller, PostsService, FeedsService],
    };
  }
}
