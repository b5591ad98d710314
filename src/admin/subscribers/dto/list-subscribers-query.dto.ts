import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SubscriberStatus } from '../../../subscribers/subscriber-status.js';
import { toQueryInt } from '../../../common/query-transforms.js';

export const SUBSCRIBER_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;

const STATUSES = Object.values(SubscriberStatus);
const limitMessage = { message: `limit must be a whole number from 1 to ${SUBSCRIBER_PAGE.maxLimit}` };

/** The status filter shared by the listing and the CSV export. */
export class SubscriberStatusQueryDto {
  @ApiPropertyOptional({ enum: SubscriberStatus, enumName: 'SubscriberStatus' })
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
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @MaxLength(254, { message: 'q must be at most 254 characters' })
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: SUBSCRIBER_PAGE.maxLimit, default: SUBSCRIBER_PAGE.defaultLimit })
  @IsOptional()
  @Transform(toQueryInt)
  @IsInt(limitMessage)
  @Min(1, limitMessage)
  @Max(SUBSCRIBER_PAGE.maxLimit, limitMessage)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, unchanged.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text' })
  @MaxLength(200, { message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged' })
  cursor?: string;
}
