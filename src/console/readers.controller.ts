import { Get, Query, Req } from '@nestjs/common';
import { ListSubscribersQueryDto } from '../admin/subscribers/dto/list-subscribers-query.dto.js';
import { SubscriberDirectoryService } from '../admin/subscribers/subscriber-directory.service.js';
import { AppConfig } from '../config/app-config.js';
import { SubscriberStatus } from '../subscribers/subscriber-status.js';
import { ConsoleController, ConsolePage } from './console-controller.decorator.js';
import { ConsolePages } from './console-pages.js';
import type { ConsoleRequest } from './console-request.js';

/** /console/readers: the admin API's subscriber search (part of the address, status), as a page. */
@ConsoleController('readers')
export class ReadersController {
  constructor(
    private readonly directory: SubscriberDirectoryService,
    private readonly pages: ConsolePages,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ConsolePage()
  async search(@Query() query: ListSubscribersQueryDto, @Req() request: ConsoleRequest): Promise<string> {
    const page = await this.directory.list(query);
    const next = new URLSearchParams({
      ...(query.q ? { q: query.q } : {}),
      ...(query.status ? { status: query.status } : {}),
      cursor: page.nextCursor ?? '',
    });
    return this.pages.render(request, 'readers', 'Readers', {
      action: this.config.url('/console/readers'),
      q: query.q ?? '',
      statuses: Object.values(SubscriberStatus).map((value) => ({ value, selected: value === query.status })),
      readers: page.items.map((reader) => ({
        email: reader.email,
        name: reader.name,
        status: reader.status,
        since: reader.createdAt.toISOString().slice(0, 10),
      })),
      nextUrl: page.nextCursor ? this.config.url(`/console/readers?${next.toString()}`) : null,
    });
  }
}
