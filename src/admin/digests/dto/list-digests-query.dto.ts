import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { toQueryInt } from '../../../common/query-transforms.js';

/** GET /admin/digests: newest period first, a page at a time. */
export class ListDigestsQueryDto {
  @IsOptional()
  @Transform(toQueryInt)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must be at most 100' })
  limit?: number;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsString({ message: 'cursor must be text' })
  @MaxLength(200, { message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged' })
  cursor?: string;
}
