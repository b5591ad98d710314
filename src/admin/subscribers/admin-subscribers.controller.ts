import { Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorBodyDto } from '../../common/openapi.js';
import { requestContext } from '../../common/request-context.js';
import { AdminController, AuditedRead, MinRole } from '../../common/admin-controller.decorator.js';
import { ListSubscribersQueryDto } from './dto/list-subscribers-query.dto.js';
import {
  SubscriberDataExportDto,
  SubscriberDetailDto,
  SubscriberDto,
  SubscriberPageDto,
} from './dto/subscriber.dto.js';
import { SubscriberActionsService } from './subscriber-actions.service.js';
import { SubscriberDirectoryService } from './subscriber-directory.service.js';
import { SubscriberId } from './subscriber-id.pipe.js';

const idParam = ApiParam({ name: 'id', format: 'uuid', description: 'The subscriber id' });
const badId = ApiBadRequestResponse({ type: ErrorBodyDto, description: 'The id is not a UUID' });
const unknownId = ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No subscriber has this id' });

/** /admin/subscribers: who subscribed, with proof of consent, and what an operator may do about one. */
@ApiTags('admin: subscribers')
@AdminController('subscribers')
export class AdminSubscribersController {
  constructor(
    private readonly directory: SubscriberDirectoryService,
    private readonly actions: SubscriberActionsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List subscribers, newest first',
    description: 'Keyset pages: pass back `nextCursor` as `cursor`.',
  })
  @ApiOkResponse({ type: SubscriberPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'A bad status, limit or cursor' })
  list(@Query() query: ListSubscribersQueryDto): Promise<SubscriberPageDto> {
    return this.directory.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscriber, with consent events and delivery history' })
  @idParam
  @ApiOkResponse({ type: SubscriberDetailDto })
  @badId
  @unknownId
  detail(@Param('id', SubscriberId) id: string): Promise<SubscriberDetailDto> {
    return this.directory.detail(id);
  }

  @Get(':id/export')
  // Readers' data leaving the service: owners only, and recorded like a change.
  @MinRole('owner')
  @AuditedRead()
  @ApiOperation({
    summary: 'Everything held about a subscriber (data-access request)',
    description: 'Secrets (unsubscribe token, token hashes) are left out.',
  })
  @idParam
  @ApiOkResponse({ type: SubscriberDataExportDto })
  @badId
  @unknownId
  dataExport(@Param('id', SubscriberId) id: string): Promise<SubscriberDataExportDto> {
    return this.directory.dataExport(id);
  }

  @Post(':id/unsubscribe')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Unsubscribe a subscriber by hand',
    description: "Recorded as a consent event with source 'admin'. Idempotent.",
  })
  @idParam
  @ApiOkResponse({ type: SubscriberDto })
  @badId
  @unknownId
  unsubscribe(@Param('id', SubscriberId) id: string, @Req() request: Request): Promise<SubscriberDto> {
    return this.actions.unsubscribe(id, requestContext(request));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Erase a subscriber (right to erasure)',
    description:
      'Deletes the subscriber and their consent records. Only a SHA-256 of the address is kept, as a suppression: an import cannot add them back; their own confirmed opt-in can.',
  })
  @idParam
  @ApiNoContentResponse({ description: 'Erased' })
  @badId
  @unknownId
  async erase(@Param('id', SubscriberId) id: string): Promise<void> {
    await this.actions.erase(id);
  }
}
