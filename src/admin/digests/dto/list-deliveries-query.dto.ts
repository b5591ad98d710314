import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DeliveryStatus } from '../../../delivery/delivery-status.js';
import { toQueryInt } from '../../../common/query-transforms.js';

const STATUSES = Object.values(DeliveryStatus);
const limitMessage = { message: 'limit must be a whole number from 1 to 500' };

/** GET /admin/digests/:id/deliveries: one digest's deliveries in id order, keyset-paged. */
export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ enum: DeliveryStatus, enumName: 'DeliveryStatus' })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Transform(toQueryInt)
  @IsInt(limitMessage)
  @Min(1, limitMessage)
  @Max(500, limitMessage)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, unchanged.' })
  @IsOptional()
  @IsString({ message: 'cursor must be text' })
  @Matches(/^d[0-9]{1,19}$/, {
    message: 'cursor is not valid: pass back the nextCursor of the previous page unchanged',
  })
  cursor?: string;
}
