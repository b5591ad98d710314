import { Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminController } from '../common/admin-controller.decorator.js';
import { type FeedPollResult, FeedPoller } from './feed-poller.js';
import type { FeedState } from './feed-state.js';
import { FeedsService } from './feeds.service.js';

/** /admin/feeds: each feed's state, and a poll on demand. */
@ApiTags('admin: feeds')
@AdminController('feeds')
export class AdminFeedsController {
  constructor(
    private readonly feeds: FeedsService,
    private readonly poller: FeedPoller,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Each feed with the state of its last poll', description: 'status is ok, failing (lastError says why) or never-polled.' })
  async list(): Promise<{ feeds: FeedState[] }> {
    return { feeds: await this.feeds.states() };
  }

  /** Polls every feed now and answers once all are done, with what each poll did. */
  @Post('poll')
  @HttpCode(200)
  @ApiOperation({ summary: 'Poll every configured feed now', description: 'Answers when all are done, with each feed\'s outcome, counts, error and state.' })
  async poll(): Promise<{ feeds: FeedPollResult[] }> {
    return { feeds: await this.poller.pollAll() };
  }
}
