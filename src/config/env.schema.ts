import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAIL_TRANSPORT_NAMES } from './app-config.js';

// Environment values are strings; anything else (a default) passes through unchanged, as in toInt.
const toBool = ({ value }: { value: unknown }) =>
  typeof value !== 'string'
    ? value
    : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase())
      ? true
      : ['0', 'false', 'no', 'off'].includes(value.toLowerCase())
        ? false
        : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
const httpUrl = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * Every environment variable Tidings reads, with its default. Validated once at start by
 * `loadConfig`; nothing else reads `process.env`.
 */
export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Base of every link in mails and pages: https in production. */
  @IsUrl(httpUrl)
  PUBLIC_URL = 'http://localhost:3000';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tidings';

  @Transform(toBool)
  @IsBoolean()
  DATABASE_CREATE = true;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Namespace for every Redis key (queues, rate limits), so several installs can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be 1 to 40 letters, digits, - or _' })
  REDIS_PREFIX = 'tidings';

  @Transform(toBool)
  @IsBoolean()
  RUN_WORKERS = true;

  /** Where mail goes. Unset: `smtp` when SMTP_URL is set (and always in production), else `outbox`. */
  @IsOptional()
  @IsIn(MAIL_TRANSPORT_NAMES)
  MAIL_TRANSPORT?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SMTP_POOL_SIZE = 5;

  /** MAIL_TRANSPORT=ses: the AWS region (us-east-1...). */
  @IsOptional()
  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'must be an AWS region like eu-west-1' })
  SES_REGION?: string;

  /** Only to point the SDK elsewhere than AWS (a stand-in in tests, a VPC endpoint). */
  @IsOptional()
  @IsUrl(httpUrl, { message: 'must be an http(s) URL' })
  SES_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^[A-Z0-9]{16,128}$/, { message: 'must be an AWS access key id' })
  SES_ACCESS_KEY_ID?: string;

  @IsOptional()
  @MinLength(16)
  SES_SECRET_ACCESS_KEY?: string;

  /** The configuration set whose event destination publishes bounces and complaints to SNS. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a configuration set name' })
  SES_CONFIGURATION_SET?: string;

  @IsOptional()
  @MinLength(10)
  POSTMARK_SERVER_TOKEN?: string;

  @Matches(/^[a-z0-9_-]{1,30}$/, { message: 'must be a message stream id' })
  POSTMARK_MESSAGE_STREAM = 'broadcast';

  /** Only to point the client at a stand-in. */
  @IsOptional()
  @IsUrl(httpUrl, { message: 'must be an http(s) URL' })
  POSTMARK_API_URL?: string;

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

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'BHM Healthcare Solutions <newsletter@bhmpc.com>';

  @IsString()
  @MinLength(1)
  OUTBOX_DIR = 'outbox';

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  COMPANY_NAME = 'BHM Healthcare Solutions';

  @IsString()
  @MaxLength(200)
  COMPANY_SHORT_NAME = 'BHM Healthcare';

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  COMPANY_BLURB =
    'BHM is a healthcare management consulting firm whose specialty is optimizing profitability while improving care in a variety of health care settings. BHM has worked both nationally and internationally with managed care organizations, providers, hospitals, and insurers. In addition to this BHM offers a wide breadth of services including managed care consulting, strategic planning and organizational analysis, accreditation consulting, healthcare financial analysis, physician advisor/peer review, and organizational development.';

  @IsOptional()
  @IsString()
  @MaxLength(500)
  COMPANY_POSTAL_ADDRESS?: string;

  @IsString()
  @Matches(/^[0-9+()\-. ]{5,30}$/, { message: 'must be a phone number' })
  COMPANY_PHONE = '1-888-831-1171';

  @IsEmail()
  COMPANY_EMAIL = 'info@bhmpc.com';

  @IsUrl(httpUrl)
  COMPANY_WEBSITE = 'https://www.bhmpc.com';

  /** Comma-separated `Label=https://...` pairs. */
  @Matches(/^$|^([^=,]+=https?:\/\/[^,\s]+)(,[^=,]+=https?:\/\/[^,\s]+)*$/, {
    message: 'must be comma-separated Label=https://... pairs',
  })
  COMPANY_SOCIAL_LINKS =
    'LinkedIn=https://www.linkedin.com/company/bhm-healthcare-solutions,Facebook=https://www.facebook.com/BHMHealthcareSolutions,Twitter=https://twitter.com/BHMHealthcare';

  @IsOptional()
  @IsUrl(httpUrl)
  COMPANY_LOGO_URL?: string;

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

  /**
   * Key of the HMAC that keeps erased addresses (suppressions) and mailbox cap counts; at least 32
   * characters. Required in production; changing it forgets every suppression made under the old one.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  SUPPRESSION_KEY?: string;

  /** Bearer token for GET /metrics (at least 32 characters). Unset: /metrics is open, for a scraper on a private network. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/=-]{32,}$/, { message: 'must be a token of at least 32 characters' })
  METRICS_TOKEN?: string;

  /** Comma-separated feed URLs of the blog. */
  @Matches(/^$|^https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*$/, { message: 'must be comma-separated http(s) URLs' })
  FEED_URLS = 'https://www.bhmpc.com/feed/';

  @IsUrl(httpUrl)
  BLOG_URL = 'https://www.bhmpc.com/blog/';

  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'must be a cron expression' })
  FEED_POLL_CRON = '0 * * * *';

  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(120_000)
  FEED_TIMEOUT_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  FEED_MAX_BYTES = 5 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  FEED_MAX_REDIRECTS = 5;

  /** Pages read per feed and poll: the first, then older ones (RFC 5005, WordPress ?paged=) until the period is covered. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  FEED_MAX_PAGES = 5;

  @IsString()
  @MinLength(3)
  @MaxLength(200)
  FEED_USER_AGENT = 'Tidings/0.1 (+https://github.com/tidings; weekly digest)';

  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'must be a cron expression' })
  DIGEST_CRON = '0 8 * * 1';

  @IsTimeZone()
  DIGEST_TIMEZONE = 'America/New_York';

  @IsIn(['auto', 'required'])
  DIGEST_APPROVAL = 'auto';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  DIGEST_MAX_POSTS = 10;

  /** Handlebars, with `shortName`, `firstTitle`, `moreCount` and `postCount`. */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  DIGEST_SUBJECT_TEMPLATE = '{{shortName}} weekly: {{firstTitle}}{{#if moreCount}} and {{moreCount}} more{{/if}}';

  /** Digest sends processed at once by each worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DELIVERY_CONCURRENCY = 20;

  /** Messages per second across every worker: keep it under the SMTP provider's limit. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  DELIVERY_RATE_PER_SECOND = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  DELIVERY_MAX_ATTEMPTS = 6;

  /** First retry delay after a temporary failure; doubles on each attempt. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  DELIVERY_BACKOFF_MS = 30_000;

  /** How long a worker may hold a send before another worker takes it over as stalled. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  DELIVERY_LOCK_MS = 30_000;

  /** How often queued or sending deliveries without a live job are re-enqueued. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RECONCILE_INTERVAL_MS = 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(50_000)
  FANOUT_BATCH_SIZE = 2_000;

  /** The List-Id header (RFC 2919); `weekly.<sender domain>` when unset. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{1,200}$/, { message: 'must be a dotted identifier like weekly.example.com' })
  LIST_ID?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, { message: 'must be a domain name' })
  DKIM_DOMAIN?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,63}$/, { message: 'must be a DNS label like mail2026' })
  DKIM_SELECTOR?: string;

  /** PEM, with literal \n accepted for one-line environments. */
  @IsOptional()
  @Matches(/-----BEGIN (RSA )?PRIVATE KEY-----/, { message: 'must be a PEM private key' })
  DKIM_PRIVATE_KEY?: string;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsIn(['json', 'text'])
  LOG_FORMAT = 'json';
}
