import { Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminController } from '../common/admin-controller.decorator.js';
import { type AuditRecord, AuditLogRepository } from './audit-log.repository.js';
import { AUDIT_PAGE, ListAuditQueryDto } from './dto/list-audit-query.dto.js';

/** /admin/audit: what operators did (and were refused), newest first. */
@ApiTags('admin: audit')
@AdminController('audit')
export class AuditController {
  constructor(private readonly log: AuditLogRepository) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log, newest first',
    description: 'Keyset pages: pass back `nextCursor` as `cursor`.',
  })
  list(@Query() query: ListAuditQueryDto): Promise<{ items: AuditRecord[]; nextCursor: string | null }> {
    return this.log.page({ ...query, limit: query.limit ?? AUDIT_PAGE.defaultLimit });
  }
}
