import { Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminController } from '../../common/admin-controller.decorator.js';
import { ErrorBodyDto } from '../../common/openapi.js';
import { type DeliveryEventRow, DeliveryEventsRepository } from '../../deliverability/delivery-events.repository.js';
import { ListEventsQueryDto } from './dto/list-events-query.dto.js';

const DEFAULT_LIMIT = 50;

/** /admin/events: what the mail providers reported, with the verdict, so an operator can see why a subscriber was dropped. */
@ApiTags('admin: events')
@AdminController('events')
export class AdminEventsController {
  constructor(private readonly events: DeliveryEventsRepository) {}

  @Get()
  @ApiOperation({
    summary: 'Recent provider events, newest first',
    description: 'Keyset pages: pass back `nextCursor` as `cursor`.',
  })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'A bad filter, limit or cursor' })
  async list(@Query() query: ListEventsQueryDto): Promise<{ items: DeliveryEventRow[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.events.recent({
      subscriberId: query.subscriberId,
      digestId: query.digestId,
      beforeId: query.cursor?.slice(1),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? `e${items[items.length - 1].id}` : null };
  }
}
