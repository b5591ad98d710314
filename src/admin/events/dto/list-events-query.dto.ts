import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { toQueryInt } from '../../../common/query-transforms.js';

const limitMessage = { message: 'limit must be a whole number from 1 to 200' };

/** GET /admin/events: provider events (bounces, complaints), newest first, keyset-paged. */
export class ListEventsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this subscriber's events" })
  @IsOptional()
  @IsUUID('all', { message: 'subscriberId must be a UUID' })
  subscriberId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this digest's events" })
  @IsOptional()
  @IsUUID('all', { message: 'digestId must be a UUID' })
  digestId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(toQueryInt)
  @IsInt(limitMessage)
  @Min(1, limitMessage)
  @Max(200, limitMessage)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, unchanged.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text' })
  @Matches(/^e[0-9]{1,19}$/, {
    message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged',
  })
  cursor?: string;
}
