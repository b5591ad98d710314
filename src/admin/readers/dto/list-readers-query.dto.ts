import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SubscriberStatus } from '../../../subscribers/subscriber-status.js';

export const READER_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;

const STATUSES = Object.values(SubscriberStatus);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
const limitMessage = { message: `limit must be a whole number from 1 to ${READER_PAGE.maxLimit}` };

/** The status filter shared by the listing and the CSV export. */
export class ReaderStatusQueryDto {
  @ApiPropertyOptional({ enum: SubscriberStatus, enumName: 'SubscriberStatus' })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: SubscriberStatus;
}

/** GET /admin/readers: newest first, filtered by status and by a piece of the address. */
export class ListReadersQueryDto extends ReaderStatusQueryDto {
  @ApiPropertyOptional({ description: 'Part of the address, case-insensitive (% and _ match themselves).', maxLength: 254 })
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @MaxLength(254, { message: 'q must be at most 254 characters' })
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: READER_PAGE.maxLimit, default: READER_PAGE.defaultLimit })
  @IsOptional()
  @Transform(toInt)
  @IsInt(limitMessage)
  @Min(1, limitMessage)
  @Max(READER_PAGE.maxLimit, limitMessage)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, unchanged.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text' })
  @MaxLength(200, { message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged' })
  cursor?: string;
}
