import { Get, Query, Req } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AuditLogRepository } from '../operators/audit-log.repository.js';
import { ListAuditQueryDto } from '../operators/dto/list-audit-query.dto.js';
import { ConsoleController, ConsolePage } from './console-controller.decorator.js';
import { ConsolePages } from './console-pages.js';
import type { ConsoleRequest } from './console-request.js';

const PAGE = 50;

/** /console/audit: what operators did and were refused, newest first, as GET /admin/audit lists it. */
@ConsoleController('audit')
export class AuditLogController {
  constructor(
    private readonly log: AuditLogRepository,
    private readonly pages: ConsolePages,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ConsolePage()
  async list(@Query() query: ListAuditQueryDto, @Req() request: ConsoleRequest): Promise<string> {
    const page = await this.log.page({ ...query, limit: query.limit ?? PAGE });
    return this.pages.render(request, 'audit', 'Audit log', {
      entries: page.items.map((entry) => ({ ...entry, at: entry.at.toISOString().replace('T', ' ').slice(0, 19) })),
      nextUrl: page.nextCursor
        ? this.config.url(`/console/audit?${new URLSearchParams({ cursor: page.nextCursor }).toString()}`)
        : null,
    });
  }
}
