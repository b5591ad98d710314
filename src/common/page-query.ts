import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { toQueryInt } from './query-transforms.js';

/** The `limit` of a keyset-paged admin list: a whole number from 1 to `max`, with a message naming the bounds. */
export function PageLimit(max: number, defaultLimit: number): PropertyDecorator {
  const message = { message: `limit must be a whole number from 1 to ${max}` };
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: max, default: defaultLimit }),
    IsOptional(),
    Transform(toQueryInt),
    IsInt(message),
    Min(1, message),
    Max(max, message),
  );
}

/** The `cursor` of a keyset-paged admin list (see keyset-cursor.ts, which decodes it). */
export function PageCursor(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'The nextCursor of the previous page, unchanged.' }),
    IsOptional(),
    IsString({ message: 'cursor must be text' }),
    MaxLength(200, { message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged' }),
  );
}
