import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO8601, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { POST_PAGE } from '../posts.constants.js';
import { toQueryInt } from '../../common/query-transforms.js';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const isoMessage = (name: string) => ({
  message: `${name} must be an ISO 8601 date, such as 2025-11-03 or 2025-11-03T13:00:00Z`,
});

/** GET /admin/posts: a period on published_at (from inclusive, to exclusive), a feed, the hidden flag, a page. */
export class ListPostsQueryDto {
  @ApiPropertyOptional({ description: 'published_at >= from (ISO 8601)', example: '2025-10-27' })
  @IsOptional()
  @IsISO8601({ strict: true }, isoMessage('from'))
  from?: string;

  @ApiPropertyOptional({ description: 'published_at < to (ISO 8601)', example: '2025-11-03' })
  @IsOptional()
  @IsISO8601({ strict: true }, isoMessage('to'))
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'feedId must be a UUID' })
  feedId?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'hidden must be true or false' })
  hidden?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: POST_PAGE.maxLimit, default: POST_PAGE.defaultLimit })
  @IsOptional()
  @Transform(toQueryInt)
  @IsInt({ message: `limit must be a whole number from 1 to ${POST_PAGE.maxLimit}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${POST_PAGE.maxLimit}` })
  @Max(POST_PAGE.maxLimit, { message: `limit must be a whole number from 1 to ${POST_PAGE.maxLimit}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged' })
  cursor?: string;
}
