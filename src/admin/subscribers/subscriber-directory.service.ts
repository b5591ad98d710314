import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/keyset-cursor.js';
import { DeliveryViewsRepository } from '../../delivery/delivery-views.repository.js';
import { SubscriberDataExportService } from '../../delivery/subscriber-data-export.service.js';
import { ConsentEventsRepository } from '../../subscribers/consent-events.repository.js';
import type { SubscriberStatus } from '../../subscribers/subscriber-status.js';
import { SubscriberViewsRepository } from '../../subscribers/subscriber-views.repository.js';
import type {
  SubscriberDataExportDto,
  SubscriberDetailDto,
  SubscriberDto,
  SubscriberPageDto,
} from './dto/subscriber.dto.js';
import { SUBSCRIBER_PAGE } from './dto/list-subscribers-query.dto.js';

export interface SubscriberFilter {
  status?: SubscriberStatus;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Reads subscribers for the admin API: pages, one subscriber with their history, a data-access export. */
@Injectable()
export class SubscriberDirectoryService {
  constructor(
    private readonly subscribers: SubscriberViewsRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly deliveries: DeliveryViewsRepository,
    private readonly exports: SubscriberDataExportService,
  ) {}

  async list(filter: SubscriberFilter): Promise<SubscriberPageDto> {
    const limit = filter.limit ?? SUBSCRIBER_PAGE.defaultLimit;
    const after = filter.cursor ? decodeKeysetCursor(filter.cursor) : null;
    const rows = await this.subscribers.page(filter, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ cursorAt: _cursorAt, ...subscriber }) => subscriber),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor({ at: last.cursorAt, id: last.id }) : null,
    };
  }

  async detail(id: string): Promise<SubscriberDetailDto> {
    const subscriber = await this.findOrFail(id);
    return {
      ...subscriber,
      consentEvents: await this.consent.listOf(id),
      deliveries: await this.deliveries.historyOf(id),
    };
  }

  async dataExport(id: string): Promise<SubscriberDataExportDto> {
    const data = await this.exports.export(id);
    if (!data) throw new NotFoundException(`no subscriber has the id ${id}`);
    return data;
  }

  async findOrFail(id: string, manager?: EntityManager, lock = false): Promise<SubscriberDto> {
    const subscriber = await this.subscribers.view(id, manager, lock);
    if (!subscriber) throw new NotFoundException(`no subscriber has the id ${id}`);
    return subscriber;
  }
}
