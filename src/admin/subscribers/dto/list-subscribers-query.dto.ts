import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { emptyAsAbsent } from '../../../common/query-transforms.js';
import { SubscriberStatus } from '../../../subscribers/subscriber-status.js';
import { PageCursor, PageLimit } from '../../../common/page-query.js';

export const SUBSCRIBER_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;

const STATUSES = Object.values(SubscriberStatus);

/** The status filter shared by the listing and the CSV export. */
export class SubscriberStatusQueryDto {
  @ApiPropertyOptional({ enum: SubscriberStatus, enumName: 'SubscriberStatus' })
  @Transform(emptyAsAbsent)
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: SubscriberStatus;
}

/** GET /admin/subscribers: newest first, filtered by status and by a piece of the address. */
export class ListSubscribersQueryDto extends SubscriberStatusQueryDto {
  @ApiPropertyOptional({
    description: 'Part of the address, case-insensitive (% and _ match themselves).',
    maxLength: 254,
  })
  @Transform(emptyAsAbsent)
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @MaxLength(254, { message: 'q must be at most 254 characters' })
  q?: string;

  @PageLimit(SUBSCRIBER_PAGE.maxLimit, SUBSCRIBER_PAGE.defaultLimit)
  limit?: number;

  @PageCursor()
  cursor?: string;
}
