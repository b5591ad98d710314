import { BadRequestException, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminController } from '../common/admin-controller.decorator.js';
import { ErrorBodyDto } from '../common/openapi.js';
import { type FeedPollResult, FeedPoller } from './feed-poller.js';
import type { FeedState } from './feed-state.js';
import { FeedsService } from './feeds.service.js';

const FeedId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the feed id must be a UUID') });

/** /admin/feeds: each feed's state, a poll on demand, and stopping a feed without a redeploy. */
@ApiTags('admin: feeds')
@AdminController('feeds', { changes: 'editor' })
export class AdminFeedsController {
  constructor(
    private readonly feeds: FeedsService,
    private readonly poller: FeedPoller,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Each feed with the state of its last poll',
    description: 'status is ok, failing (lastError says why) or never-polled.',
  })
  async list(): Promise<{ feeds: FeedState[] }> {
    return { feeds: await this.feeds.states() };
  }

  /** Polls every feed now and answers once all are done, with what each poll did. */
  @Post('poll')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Poll every configured feed now',
    description: "Answers when all are done, with each feed's outcome, counts, error, warnings and state.",
  })
  async poll(): Promise<{ feeds: FeedPollResult[] }> {
    return { feeds: await this.poller.pollAll() };
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stop a feed',
    description: 'It is no longer polled and its posts leave digests not yet composed; they stay in the archive.',
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  disable(@Param('id', FeedId) id: string): Promise<FeedState> {
    return this.feeds.setEnabled(id, false);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a stopped feed again' })
  @ApiBadRequestResponse({ type: ErrorBodyDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  enable(@Param('id', FeedId) id: string): Promise<FeedState> {
    return this.feeds.setEnabled(id, true);
  }
}
