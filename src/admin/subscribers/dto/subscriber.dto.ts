import { ApiProperty } from '@nestjs/swagger';
import { ConsentEventKind } from '../../../subscribers/consent-event.entity.js';
import { SubscriberStatus } from '../../../subscribers/subscriber-status.js';

const nullableDate = { type: String, format: 'date-time', nullable: true } as const;

/** A subscriber as the admin API shows it. The unsubscribe token is a secret and never leaves the server. */
export class SubscriberDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'subscriber@example.com' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ enum: SubscriberStatus, enumName: 'SubscriberStatus' })
  status: SubscriberStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  @ApiProperty(nullableDate)
  confirmedAt: Date | null;

  @ApiProperty(nullableDate)
  unsubscribedAt: Date | null;

  @ApiProperty(nullableDate)
  bouncedAt: Date | null;
}

export class SubscriberPageDto {
  @ApiProperty({ type: () => [SubscriberDto] })
  items: SubscriberDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last one.',
  })
  nextCursor: string | null;
}

/** Proof of consent, as recorded: what happened, when, from where, and the words agreed to. */
export class ConsentEventDto {
  @ApiProperty({ description: 'bigint, as a string' })
  id: string;

  @ApiProperty({ enum: Object.values(ConsentEventKind) })
  kind: string;

  @ApiProperty({
    example: 'form',
    description: 'form, confirmation-link, one-click, manage-page, email-change-link, admin, import, ...',
  })
  source: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;

  @ApiProperty({ type: String, nullable: true })
  formVersion: string | null;

  @ApiProperty({ type: String, nullable: true })
  consentText: string | null;
}

/** One digest sent (or tried) to the subscriber. */
export class SubscriberDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  digestId: string;

  @ApiProperty({ example: 'sent' })
  status: string;

  @ApiProperty()
  attempts: number;

  @ApiProperty({ format: 'date-time' })
  queuedAt: Date;

  @ApiProperty(nullableDate)
  finishedAt: Date | null;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;
}

export class SubscriberDetailDto extends SubscriberDto {
  @ApiProperty({ type: () => [ConsentEventDto] })
  consentEvents: ConsentEventDto[];

  @ApiProperty({ type: () => [SubscriberDeliveryDto] })
  deliveries: SubscriberDeliveryDto[];
}

/** A confirmation link's life, without its hash. */
export class ConfirmationTokenDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  expiresAt: Date;

  @ApiProperty(nullableDate)
  mailedAt: Date | null;

  @ApiProperty(nullableDate)
  usedAt: Date | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the address a change-of-address link moves the subscription to',
  })
  newEmail: string | null;
}

/** Everything held about one subscriber (a data-access request), secrets left out. */
export class SubscriberDataExportDto {
  @ApiProperty({ format: 'date-time' })
  exportedAt: Date;

  @ApiProperty({ type: () => SubscriberDto })
  subscriber: SubscriberDto;

  @ApiProperty({ type: () => [ConsentEventDto] })
  consentEvents: ConsentEventDto[];

  @ApiProperty({ type: () => [ConfirmationTokenDto] })
  confirmationTokens: ConfirmationTokenDto[];

  @ApiProperty({ type: () => [SubscriberDeliveryDto] })
  deliveries: SubscriberDeliveryDto[];
}
