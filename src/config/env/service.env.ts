import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { toBool, toInt, httpUrl } from './env-transforms.js';

/** The process: environment, HTTP, PostgreSQL, Redis, logs. */
export class ServiceEnv {
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

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsIn(['json', 'text'])
  LOG_FORMAT = 'json';
}
