import { BadRequestException, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AdminController } from '../admin/admin-controller.decorator.js';
import { DeliveryControlService } from './delivery-control.service.js';
import { ControlResultDto, DeliveryPageDto } from './dto/delivery.dto.js';
import { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto.js';

const DigestId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the digest id must be a UUID') });

/** A digest's send, reader by reader, and the operator's controls over it. */
@ApiTags('admin: digests')
@AdminController('digests')
export class DeliveriesAdminController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly control: DeliveryControlService,
  ) {}

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageDto })
  async list(@Param('id', DigestId) id: string, @Query() query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    const [digest] = await this.dataSource.query<unknown[]>('SELECT 1 FROM digests WHERE id = $1', [id]);
    if (!digest) throw new NotFoundException(`digest ${id} does not exist`);
    const limit = query.limit ?? 100;
    // Keyset on id within (digest_id, status, id) or the primary key: no OFFSET, any depth.
    const rows = await this.dataSource.query<DeliveryPageDto['items']>(
      `SELECT d.id, d.subscriber_id AS "readerId", s.email, d.status, d.attempts, d.last_error AS "lastError", d.last_error_code AS "lastErrorCode",
              d.message_id AS "messageId", d.queued_at AS "queuedAt", d.started_at AS "startedAt", d.finished_at AS "finishedAt"
         FROM deliveries d LEFT JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.digest_id = $1 AND ($2::delivery_status IS NULL OR d.status = $2) AND d.id > $3
        ORDER BY d.id LIMIT $4`,
      [id, query.status ?? null, query.cursor ? query.cursor.slice(1) : '0', limit + 1],
    );
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? `d${page[page.length - 1].id}` : null };
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: ControlResultDto })
  pause(@Param('id', DigestId) id: string): Promise<ControlResultDto> {
    return this.control.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: ControlResultDto })
  resume(@Param('id', DigestId) id: string): Promise<ControlResultDto> {
    return this.control.resume(id);
  }

  @Post(':id/retry-failed')
  @HttpCode(200)
  @ApiOkResponse({ type: ControlResultDto })
  retryFailed(@Param('id', DigestId) id: string): Promise<ControlResultDto> {
    return this.control.retryFailed(id);
  }
}
