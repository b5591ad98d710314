import { Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorBodyDto } from '../../common/openapi.js';
import { requestContext } from '../../common/request-context.js';
import { AdminController } from '../admin-controller.decorator.js';
import { ListReadersQueryDto } from './dto/list-readers-query.dto.js';
import { ReaderDataExportDto, ReaderDetailDto, ReaderDto, ReaderPageDto } from './dto/reader.dto.js';
import { ReaderActionsService } from './reader-actions.service.js';
import { ReaderDirectoryService } from './reader-directory.service.js';
import { ReaderId } from './reader-id.pipe.js';

const idParam = ApiParam({ name: 'id', format: 'uuid', description: 'The reader id' });
const badId = ApiBadRequestResponse({ type: ErrorBodyDto, description: 'The id is not a UUID' });
const unknownId = ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No reader has this id' });

/** /admin/readers: who subscribed, with proof of consent, and what an operator may do about one. */
@ApiTags('admin: readers')
@AdminController('readers')
export class AdminReadersController {
  constructor(
    private readonly directory: ReaderDirectoryService,
    private readonly actions: ReaderActionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List readers, newest first', description: 'Keyset pages: pass back `nextCursor` as `cursor`.' })
  @ApiOkResponse({ type: ReaderPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'A bad status, limit or cursor' })
  list(@Query() query: ListReadersQueryDto): Promise<ReaderPageDto> {
    return this.directory.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One reader, with consent events and delivery history' })
  @idParam
  @ApiOkResponse({ type: ReaderDetailDto })
  @badId
  @unknownId
  detail(@Param('id', ReaderId) id: string): Promise<ReaderDetailDto> {
    return this.directory.detail(id);
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'Everything held about a reader (data-access request)', description: 'Secrets (unsubscribe token, token hashes) are left out.' })
  @idParam
  @ApiOkResponse({ type: ReaderDataExportDto })
  @badId
  @unknownId
  dataExport(@Param('id', ReaderId) id: string): Promise<ReaderDataExportDto> {
    return this.directory.dataExport(id);
  }

  @Post(':id/unsubscribe')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unsubscribe a reader by hand', description: "Recorded as a consent event with source 'admin'. Idempotent." })
  @idParam
  @ApiOkResponse({ type: ReaderDto })
  @badId
  @unknownId
  unsubscribe(@Param('id', ReaderId) id: string, @Req() request: Request): Promise<ReaderDto> {
    return this.actions.unsubscribe(id, requestContext(request));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Erase a reader (right to erasure)',
    description: 'Deletes the reader and their consent records. Only a SHA-256 of the address is kept, as a suppression: an import cannot add them back; their own confirmed opt-in can.',
  })
  @idParam
  @ApiNoContentResponse({ description: 'Erased' })
  @badId
  @unknownId
  async erase(@Param('id', ReaderId) id: string): Promise<void> {
    await this.actions.erase(id);
  }
}
