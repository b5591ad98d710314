import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageCursor, PageLimit } from '../../common/page-query.js';

export const AUDIT_PAGE = { defaultLimit: 50, maxLimit: 200 } as const;

/** GET /admin/audit: newest first, keyset-paged. */
export class ListAuditQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this operator's records" })
  @IsOptional()
  @IsUUID('all', { message: 'operatorId must be a UUID' })
  operatorId?: string;

  @ApiPropertyOptional({ example: 'digests.approve', description: 'Only this action (`<area>.<what>`)' })
  @IsOptional()
  @IsString({ message: 'action must be text' })
  @Matches(/^[a-z]+\.[A-Za-z]+$/, { message: 'action must look like digests.approve' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only records at or after this time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date or date-time' })
  since?: string;

  @PageLimit(AUDIT_PAGE.maxLimit, AUDIT_PAGE.defaultLimit)
  limit?: number;

  @PageCursor()
  cursor?: string;
}
