import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toInt, toNumber } from './env-transforms.js';
import { MailEnv } from './mail.env.js';

/** What providers report back: webhook secrets, bounce counting, the automatic pause. */
export class ProviderEventsEnv extends MailEnv {
  /** Comma-separated SNS topic ARNs whose notifications are accepted; empty accepts any topic with a valid signature. */
  @IsString()
  SES_SNS_TOPIC_ARNS = '';

  @IsOptional()
  @MinLength(16)
  POSTMARK_WEBHOOK_SECRET?: string;

  @IsOptional()
  @MinLength(16)
  MAILGUN_WEBHOOK_SIGNING_KEY?: string;

  /** PEM or base64 DER of the SendGrid event webhook's ECDSA public key. */
  @IsOptional()
  @MinLength(40)
  SENDGRID_WEBHOOK_PUBLIC_KEY?: string;

  /** How old a signed webhook timestamp may be (Mailgun, SendGrid). */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86_400)
  WEBHOOK_TOLERANCE_SECONDS = 300;

  @Matches(/^\d+(kb|mb)$/i, { message: 'must be a size like 256kb or 1mb' })
  WEBHOOK_BODY_LIMIT = '256kb';

  /** Soft bounces that bounce a subscriber, within SOFT_BOUNCE_WINDOW_DAYS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SOFT_BOUNCES_TO_BOUNCE = 3;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  SOFT_BOUNCE_WINDOW_DAYS = 30;

  /** Raw provider events are kept this long, then purged. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  EVENT_RETENTION_DAYS = 30;

  /** A send pauses itself past this bounce rate (percent). */
  @Transform(toNumber)
  @IsNumber()
  @Min(0.01)
  @Max(100)
  PAUSE_BOUNCE_RATE = 5;

  /** A send pauses itself past this complaint rate (percent). */
  @Transform(toNumber)
  @IsNumber()
  @Min(0.001)
  @Max(100)
  PAUSE_COMPLAINT_RATE = 0.3;

  /** Deliveries a send must have before the rates can pause it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PAUSE_MIN_DELIVERIES = 500;
}
