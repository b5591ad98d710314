import { BadRequestException, Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminController } from '../common/admin-controller.decorator.js';
import { ErrorBodyDto } from '../common/openapi.js';
import { FormOrJsonBodyGuard } from '../common/require-content-type.guard.js';
import { CreatePostDto } from './dto/create-post.dto.js';
import { ListPostsQueryDto } from './dto/list-posts-query.dto.js';
import { manualPostDraft } from './post-draft.js';
import type { PostView } from './post-view.js';
import { type PostPage, PostsService } from './posts.service.js';

const PostId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the post id must be a UUID') });

/** /admin/posts: what goes into digests, and what an operator keeps out of them. */
@ApiTags('admin: posts')
@AdminController('posts', { changes: 'editor' })
export class AdminPostsController {
  constructor(private readonly posts: PostsService) {}

  /** Newest first; future-dated posts are listed with `scheduled: true` (digests wait for their date). */
  @Get()
  @ApiOperation({
    summary: 'Posts, newest first, hidden and future-dated ones included',
    description: 'Answers { items, nextCursor }; a future-dated post has scheduled: true.',
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto })
  list(@Query() query: ListPostsQueryDto): Promise<PostPage> {
    return this.posts.list(query);
  }

  @Post()
  @UseGuards(FormOrJsonBodyGuard)
  @ApiOperation({ summary: 'Add a post by hand (a blog without a feed)' })
  @ApiBadRequestResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'A post with this url was already added by hand' })
  add(@Body() body: CreatePostDto): Promise<PostView> {
    return this.posts.addManual(manualPostDraft(body));
  }

  @Post(':id/hide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Keep a post out of digests' })
  @ApiBadRequestResponse({ type: ErrorBodyDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  hide(@Param('id', PostId) id: string): Promise<PostView> {
    return this.posts.setHidden(id, true);
  }

  @Post(':id/unhide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Let a hidden post into digests again' })
  @ApiBadRequestResponse({ type: ErrorBodyDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  unhide(@Param('id', PostId) id: string): Promise<PostView> {
    return this.posts.setHidden(id, false);
  }
}
