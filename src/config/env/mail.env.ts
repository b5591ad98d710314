import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { MAIL_TRANSPORT_NAMES } from '../app-config.js';
import { MAILBOX } from '../mailbox.js';
import { toInt, httpUrl } from './env-transforms.js';
import { ServiceEnv } from './service.env.js';

/** Where mail goes and how it is signed: the transport and its provider settings. */
export class MailEnv extends ServiceEnv {
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

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'BHM Healthcare Solutions <newsletter@bhmpc.com>';

  /** Where readers' replies go, when not to MAIL_FROM; unset, mail carries no Reply-To. */
  @IsOptional()
  @Matches(MAILBOX, { message: 'must be one address, as editor@example.com or Name <editor@example.com>' })
  REPLY_TO?: string;

  @IsString()
  @MinLength(1)
  OUTBOX_DIR = 'outbox';

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
}
