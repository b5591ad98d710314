import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toInt } from './env-transforms.js';
import { DeliveryEnv } from './delivery.env.js';

/** Mail coming back by mail: DSN bounces, ARF complaints and List-Unsubscribe mailto requests. */
export class InboundEnv extends DeliveryEnv {
  /** The domain of `unsubscribe+<token>@…` and of the bounce address; its mail must reach a listener below. */
  @IsOptional()
  @Matches(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, { message: 'must be a domain name' })
  INBOUND_DOMAIN?: string;

  /** The built-in SMTP listener's port, behind the operator's MX. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  INBOUND_SMTP_PORT?: number;

  @IsString()
  INBOUND_SMTP_HOST = '0.0.0.0';

  /** `imaps://user:password@host[:port]/Mailbox`: a mailbox polled instead of (or besides) the listener. */
  @IsOptional()
  @Matches(/^imaps?:\/\/.+/, { message: 'must be an imap:// or imaps:// URL' })
  INBOUND_IMAP_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  INBOUND_IMAP_POLL_SECONDS = 60;

  /** Largest inbound message, in bytes: a complaint report carries the whole digest it is about. */
  @Transform(toInt)
  @IsInt()
  @Min(10_240)
  @Max(50 * 1024 * 1024)
  INBOUND_MAX_BYTES = 2 * 1024 * 1024;
}
