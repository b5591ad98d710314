import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { toBool, toInt, httpUrl } from './env-transforms.js';
import { BotCheckEnv } from './bot-check.env.js';

/** The blog's feeds and the weekly digest. */
export class FeedsEnv extends BotCheckEnv {
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

  /**
   * Read feeds (and follow redirects) to loopback, private and link-local addresses too: only for
   * a blog on the same private network, since it lets a feed's redirects reach internal services.
   */
  @Transform(toBool)
  @IsBoolean()
  FEED_ALLOW_PRIVATE = false;

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
}
