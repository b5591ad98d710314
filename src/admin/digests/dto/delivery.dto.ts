import { ApiProperty } from '@nestjs/swagger';
import { DeliveryStatus } from '../../../delivery/delivery-status.js';

export class DeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, description: 'Null once the subscriber was erased.' }) subscriberId: string | null;
  @ApiProperty({ nullable: true }) email: string | null;
  @ApiProperty({ enum: DeliveryStatus, enumName: 'DeliveryStatus' }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, description: 'The SMTP reply or the reason it was skipped.' }) lastError:
    string | null;
  @ApiProperty({ nullable: true }) lastErrorCode: number | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a retrying delivery is next attempted.',
  })
  nextAttemptAt: Date | null;
  @ApiProperty({ nullable: true }) messageId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) queuedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) items: DeliveryDto[];
  @ApiProperty({ nullable: true }) nextCursor: string | null;
}

export class ControlResultDto {
  @ApiProperty() digestId: string;
  @ApiProperty({ description: 'Deliveries the action changed or re-enqueued.' }) affected: number;
}
