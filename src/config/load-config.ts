import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateCronExpression } from 'cron';
import { validateSync } from 'class-validator';
import { AppConfig, type LogLevel, type MailTransportName, type NodeEnv } from './app-config.js';
import { parseSocialLinks } from './company-profile.js';
import { EnvSchema } from './env.schema.js';
import { senderDomain } from './sender-domain.js';

/** Variables whose values are never echoed back, even in a configuration error. */
const SECRET_VARIABLES = new Set([
  'SMTP_URL',
  'DATABASE_URL',
  'REDIS_URL',
  'ADMIN_TOKENS',
  'DKIM_PRIVATE_KEY',
  'METRICS_TOKEN',
]);

const RANGE_CHECKS = new Set(['min', 'max', 'minLength', 'maxLength']);

/** A configuration problem, worded as the one line the start prints before it stops. */
export class ConfigError extends Error {
  constructor(variable: string, value: string | undefined, problem: string) {
    const shown = value === undefined ? '(unset)' : SECRET_VARIABLES.has(variable) ? '(hidden)' : JSON.stringify(value);
    super(`${variable}=${shown}: ${problem}`);
    this.name = 'ConfigError';
  }
}

function csv(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** DKIM signs only with all three variables; one or two of them is a mistake worth stopping for. */
function dkimOptions(env: EnvSchema): AppConfig['mail']['dkim'] {
  const set = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY].filter(Boolean).length;
  if (set === 0) return undefined;
  if (set < 3) {
    const missing = (['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] as const).find((name) => !env[name])!;
    throw new ConfigError(missing, undefined, 'is required when any DKIM_ variable is set');
  }
  return {
    domainName: env.DKIM_DOMAIN!,
    keySelector: env.DKIM_SELECTOR!,
    privateKey: env.DKIM_PRIVATE_KEY!.replace(/\\n/g, '\n'),
  };
}

/**
 * The transport named by MAIL_TRANSPORT, or the one its absence implies, with the variables it
 * needs. The outbox only writes files, so production never falls back to it.
 */
function mailTransport(env: EnvSchema): MailTransportName {
  const production = env.NODE_ENV === 'production';
  const transport =
    (env.MAIL_TRANSPORT as MailTransportName | undefined) ?? (env.SMTP_URL || production ? 'smtp' : 'outbox');
  if (transport === 'outbox' && production) {
    throw new ConfigError(
      'MAIL_TRANSPORT',
      env.MAIL_TRANSPORT,
      'is for development only: production needs a transport that delivers mail',
    );
  }
  if (transport === 'smtp' && !env.SMTP_URL) {
    const why = env.MAIL_TRANSPORT
      ? 'is required when MAIL_TRANSPORT=smtp'
      : 'is required in production (the outbox folder is for development only)';
    throw new ConfigError('SMTP_URL', undefined, why);
  }
  return transport;
}

/** Validates the environment once and returns the typed configuration, or throws a `ConfigError`. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  // An empty variable counts as unset, so `FOO=` in a compose file falls back to the default.
  const picked = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(EnvSchema, picked, { exposeDefaultValues: true });
  const [first] = validateSync(env, { whitelist: true });
  if (first) {
    // A value of the wrong type fails its range checks too; the type is the problem to report.
    const constraints = Object.entries(first.constraints ?? {});
    const [, problem = 'is invalid'] = constraints.find(([kind]) => !RANGE_CHECKS.has(kind)) ?? constraints[0] ?? [];
    throw new ConfigError(first.property, source[first.property], problem.replace(`${first.property} `, ''));
  }

  for (const variable of ['DIGEST_CRON', 'FEED_POLL_CRON'] as const) {
    const check = validateCronExpression(env[variable]);
    if (!check.valid)
      throw new ConfigError(
        variable,
        env[variable],
        `is not a valid cron expression (${check.error?.message ?? 'unreadable'})`,
      );
  }

  const production = env.NODE_ENV === 'production';
  if (production && !env.COMPANY_POSTAL_ADDRESS) {
    throw new ConfigError(
      'COMPANY_POSTAL_ADDRESS',
      undefined,
      'is required in production: commercial email must carry a postal address (CAN-SPAM)',
    );
  }
  const transport = mailTransport(env);
  if (production && !env.PUBLIC_URL.startsWith('https://')) {
    throw new ConfigError(
      'PUBLIC_URL',
      env.PUBLIC_URL,
      'must be https in production: one-click unsubscribe links must be HTTPS',
    );
  }

  return new AppConfig({
    env: env.NODE_ENV as NodeEnv,
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
      corsOrigins: csv(env.CORS_ORIGINS),
      trustProxy: env.TRUST_PROXY,
      bodyLimit: env.BODY_LIMIT.toLowerCase(),
    },
    database: { url: env.DATABASE_URL, create: env.DATABASE_CREATE, runMigrations: env.MIGRATIONS_RUN },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    runWorkers: env.RUN_WORKERS,
    mail: {
      transport,
      from: env.MAIL_FROM,
      senderDomain: senderDomain(env.MAIL_FROM),
      smtp: { url: env.SMTP_URL, poolSize: env.SMTP_POOL_SIZE },
      outbox: { dir: env.OUTBOX_DIR },
      dkim: dkimOptions(env),
    },
    company: {
      name: env.COMPANY_NAME,
      shortName: env.COMPANY_SHORT_NAME || env.COMPANY_NAME,
      blurb: env.COMPANY_BLURB,
      postalAddress: env.COMPANY_POSTAL_ADDRESS,
      phone: env.COMPANY_PHONE,
      email: env.COMPANY_EMAIL,
      website: env.COMPANY_WEBSITE,
      socialLinks: parseSocialLinks(env.COMPANY_SOCIAL_LINKS),
      logoUrl: env.COMPANY_LOGO_URL,
    },
    subscriptions: {
      heading: env.SUBSCRIBE_HEADING,
      intro: env.SUBSCRIBE_INTRO,
      limitPerIpPerMinute: env.SUBSCRIBE_LIMIT_PER_IP_PER_MINUTE,
      limitPerAddressPerHour: env.SUBSCRIBE_LIMIT_PER_ADDRESS_PER_HOUR,
      confirmationMailsPerDay: env.CONFIRMATION_MAILS_PER_DAY,
      confirmTokenTtlHours: env.CONFIRM_TOKEN_TTL_HOURS,
      pendingPurgeDays: env.PENDING_PURGE_DAYS,
    },
    admin: { tokens: csv(env.ADMIN_TOKENS) },
    metrics: { token: env.METRICS_TOKEN },
    feeds: {
      urls: csv(env.FEED_URLS),
      blogUrl: env.BLOG_URL,
      pollCron: env.FEED_POLL_CRON,
      timeoutMs: env.FEED_TIMEOUT_MS,
      maxBytes: env.FEED_MAX_BYTES,
      maxRedirects: env.FEED_MAX_REDIRECTS,
      maxPages: env.FEED_MAX_PAGES,
      userAgent: env.FEED_USER_AGENT,
    },
    digest: {
      cron: env.DIGEST_CRON,
      timeZone: env.DIGEST_TIMEZONE,
      approval: env.DIGEST_APPROVAL as 'auto' | 'required',
      maxPosts: env.DIGEST_MAX_POSTS,
      subjectTemplate: env.DIGEST_SUBJECT_TEMPLATE,
    },
    delivery: {
      concurrency: env.DELIVERY_CONCURRENCY,
      ratePerSecond: env.DELIVERY_RATE_PER_SECOND,
      maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
      backoffMs: env.DELIVERY_BACKOFF_MS,
      lockMs: env.DELIVERY_LOCK_MS,
      reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
      fanOutBatchSize: env.FANOUT_BATCH_SIZE,
      listId: env.LIST_ID ?? `weekly.${senderDomain(env.MAIL_FROM)}`,
    },
    log: { level: env.LOG_LEVEL as LogLevel, format: env.LOG_FORMAT as 'json' | 'text' },
  });
}
