import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminFeedsController } from './admin-feeds.controller.js';
import { AdminPostsController } from './admin-posts.controller.js';
import { FeedAddressGuard } from './feed-address-guard.js';
import { FeedFetcher } from './feed-fetcher.js';
import { FeedPollScheduler } from './feed-poll.scheduler.js';
import { FeedPoller } from './feed-poller.js';
import { FeedResolver } from './feed-resolver.js';
import { Feed } from './feed.entity.js';
import { FeedsService } from './feeds.service.js';
import { PostsService } from './posts.service.js';

/** Feeds and their posts; owns the feeds and posts tables. */
@Module({
  imports: [TypeOrmModule.forFeature([Feed])],
  controllers: [AdminPostsController, AdminFeedsController],
  providers: [FeedResolver, FeedAddressGuard, FeedFetcher, FeedsService, PostsService, FeedPoller, FeedPollScheduler],
  exports: [FeedPoller, PostsService, FeedsService],
})
export class PostsModule {}
