import { type DynamicModule, Module } from '@nestjs/common';
import type { FeatureModuleOptions } from '../common/feature-module-options.js';
import { FeedPoller } from './feed-poller.js';

@Module({})
export class PostsModule {
  static register(_options: FeatureModuleOptions): DynamicModule {
    return { module: PostsModule, providers: [FeedPoller], exports: [FeedPoller] };
  }
}
