import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { toInt } from './env-transforms.js';
import { CompanyEnv } from './company.env.js';

/** The public form and its limits, and the tokens that guard /admin and /metrics. */
export class SubscriptionsEnv extends CompanyEnv {
  /** Comma-separated origins allowed to POST the subscribe form from the browser (the blog). */
  @Matches(/^$|^https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*$/, { message: 'must be comma-separated http(s) origins' })
  CORS_ORIGINS = '';

  /**
   * Which X-Forwarded-For hops to believe: `false`, a hop count (`1` behind one reverse proxy), or
   * comma-separated proxy addresses/subnets (Express's `trust proxy` forms, e.g. `loopback,10.0.0.0/8`).
   */
  @IsString()
  TRUST_PROXY = 'false';

  @Matches(/^\d+(b|kb)$/i, { message: 'must be a size like 16kb' })
  BODY_LIMIT = '16kb';

  /** The subscribe page's heading and the sentence under it. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  SUBSCRIBE_HEADING = 'Get our blog in your inbox, once a week';

  @IsString()
  @MaxLength(1000)
  SUBSCRIBE_INTRO =
    'One mail a week with the new articles from our healthcare blog. Free, and you can leave with one click.';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SUBSCRIBE_LIMIT_PER_IP_PER_MINUTE = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SUBSCRIBE_LIMIT_PER_ADDRESS_PER_HOUR = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  CONFIRMATION_MAILS_PER_DAY = 3;

  /** Confirmation mails per recipient domain and hour, across every address of the domain. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONFIRMATION_MAILS_PER_DOMAIN_PER_HOUR = 100;

  /** Confirmation mails per hour in all; reaching it raises a metric and a /health warning. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CONFIRMATION_MAILS_PER_HOUR = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  CONFIRM_TOKEN_TTL_HOURS = 48;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  PENDING_PURGE_DAYS = 30;

  /** Comma-separated bearer tokens for /admin, each at least 32 characters. */
  @Matches(/^$|^[A-Za-z0-9._~+/=-]{32,}(,[A-Za-z0-9._~+/=-]{32,})*$/, {
    message: 'must be comma-separated tokens of at least 32 characters',
  })
  ADMIN_TOKENS = '';

  /** Made the first owner at start while no owner exists (operators are otherwise added by an owner or the CLI). */
  @IsOptional()
  @IsEmail({}, { message: 'must be an email address' })
  OWNER_EMAIL?: string;

  /**
   * Key of the HMAC that keeps erased addresses (suppressions) and mailbox cap counts; at least 32
   * characters. Required in production; changing it forgets every suppression made under the old one.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  SUPPRESSION_KEY?: string;

  /**
   * Key of the HMAC that makes the personal links' tokens (confirm, unsubscribe, manage); at least
   * 32 characters. Required in production; changing it breaks every link already mailed.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  TOKEN_KEY?: string;

  /**
   * Bearer token for GET /metrics (at least 32 characters). Required in production; elsewhere, unset
   * leaves /metrics open for a scraper on a private network.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/=-]{32,}$/, { message: 'must be a token of at least 32 characters' })
  METRICS_TOKEN?: string;

  /** Serve the OpenAPI pages (/docs, /docs-json). Default: on, except in production. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  DOCS_ENABLED?: string;
}
