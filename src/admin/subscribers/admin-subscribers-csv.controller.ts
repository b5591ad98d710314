import {
  BadRequestException,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorBodyDto } from '../../common/openapi.js';
import { AdminController, AuditedRead, MinRole } from '../../common/admin-controller.decorator.js';
import { csvOf, CsvUploadErrorsInterceptor, MAX_CSV_BYTES } from './csv-upload.js';
import { ImportSubscribersQueryDto, ImportResultDto } from './dto/import-subscribers.dto.js';
import { SubscriberStatusQueryDto } from './dto/list-subscribers-query.dto.js';
import { EXPORT_COLUMNS, SubscriberCsvExportService } from './subscriber-csv-export.service.js';
import { SubscriberImportService } from './subscriber-import.service.js';

/**
 * CSV in and out of /admin/subscribers. Its module registers it before AdminSubscribersController, so
 * that GET /admin/subscribers/export is this route and not GET /admin/subscribers/:id.
 */
@ApiTags('admin: subscribers')
@AdminController('subscribers')
export class AdminSubscribersCsvController {
  constructor(
    private readonly exporter: SubscriberCsvExportService,
    private readonly importer: SubscriberImportService,
  ) {}

  @Get('export')
  // Readers' data leaving the service: owners only, and recorded like a change.
  @MinRole('owner')
  @AuditedRead()
  @ApiOperation({
    summary: 'All subscribers as CSV, streamed',
    description: `Columns: ${EXPORT_COLUMNS.join(',')}. Oldest first.`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'A bad status' })
  async export(@Query() query: SubscriberStatusQueryDto, @Res() response: Response): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    response.type('text/csv; charset=utf-8').attachment(`subscribers-${query.status ?? 'all'}-${day}.csv`);
    await this.exporter.writeTo(response, query.status);
  }

  @Post('import')
  @HttpCode(200)
  @UseInterceptors(
    CsvUploadErrorsInterceptor,
    // Every limit explicit: the file is the only part, and nothing else is buffered.
    FileInterceptor('file', {
      limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 0, parts: 1, fieldSize: 1024, headerPairs: 20 },
    }),
  )
  @ApiOperation({
    summary: 'Import subscribers from CSV (email[,name])',
    description:
      'All or nothing: a file that cannot be read is refused whole. New addresses start pending and get the opt-in mail, unless consentGiven=true with a consentNote. Existing subscribers are left unchanged; erased (suppressed) addresses are refused.',
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        },
        'text/csv': { schema: { type: 'string' } },
      },
    },
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Malformed CSV, no email column, empty file, bad options' })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'More than 10 MB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorBodyDto, description: 'Neither multipart/form-data nor text/csv' })
  async import(
    @Query() query: ImportSubscribersQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Req() request: Request,
  ): Promise<ImportResultDto> {
    // A note without consentGiven would be silently dropped, and the subscribers mailed: say so instead.
    if (query.consentNote !== undefined && query.consentGiven !== true)
      throw new BadRequestException('consentNote applies only with consentGiven=true');
    const csv = await csvOf(request, file);
    return this.importer.import(csv, { consentNote: query.consentGiven ? query.consentNote : undefined });
  }
}
