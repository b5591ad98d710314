import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateCronExpression } from 'cron';
import { validateSync } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { AppConfig, type LogLevel, type MailTransportName, type NodeEnv } from './app-config.js';
import { parseSocialLinks } from './company-profile.js';
import { EnvSchema } from './env.schema.js';
import { parseMailbox } from './mailbox.js';
import { senderDomain } from './sender-domain.js';
import { ConfigError } from './config-error.js';
import { domainRates, inboundConfig } from './inbound-config.js';
import { trustProxy } from './trust-proxy.js';
import { csv } from './env/env-transforms.js';

export { ConfigError };

const RANGE_CHECKS = new Set(['min', 'max', 'minLength', 'maxLength']);

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
  const required: Partial<Record<MailTransportName, Array<keyof EnvSchema>>> = {
    ses: ['SES_REGION', 'SES_CONFIGURATION_SET'],
    postmark: ['POSTMARK_SERVER_TOKEN'],
  };
  for (const name of required[transport] ?? []) {
    if (!env[name]) throw new ConfigError(name, undefined, `is required when MAIL_TRANSPORT=${transport}`);
  }
  if (Boolean(env.SES_ACCESS_KEY_ID) !== Boolean(env.SES_SECRET_ACCESS_KEY)) {
    const missing = env.SES_ACCESS_KEY_ID ? 'SES_SECRET_ACCESS_KEY' : 'SES_ACCESS_KEY_ID';
    throw new ConfigError(
      missing,
      undefined,
      'is required with the other SES_ key (or set neither for the default chain)',
    );
  }
  return transport;
}

/** A key that production must set; elsewhere `fallback`, so that a fresh checkout runs with nothing set. */
function productionKey(
  env: EnvSchema,
  name: 'SUPPRESSION_KEY' | 'ALTCHA_HMAC_KEY' | 'TOKEN_KEY',
  why: string,
  fallback: string,
) {
  if (env[name]) return env[name];
  if (env.NODE_ENV === 'production') throw new ConfigError(name, undefined, `is required in production: ${why}`);
  return fallback;
}

/** Outside production the challenges are signed with a random key of this process (see README). */
function botCheck(env: EnvSchema): AppConfig['botCheck'] {
  if (env.BOT_CHECK === 'off') return { mode: 'off' };
  const why = "it signs the subscribe form's bot-check challenges (at least 32 characters; or set BOT_CHECK=off)";
  const hmacKey = productionKey(env, 'ALTCHA_HMAC_KEY', why, randomBytes(32).toString('hex'));
  return { mode: 'altcha', hmacKey, cost: env.ALTCHA_COST, counterMax: env.ALTCHA_COUNTER_MAX };
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
  const inbound = inboundConfig(env);
  if (production && !env.PUBLIC_URL.startsWith('https://')) {
    throw new ConfigError(
      'PUBLIC_URL',
      env.PUBLIC_URL,
      'must be https in production: one-click unsubscribe links must be HTTPS',
    );
  }

  if (production && !env.METRICS_TOKEN) {
    throw new ConfigError(
      'METRICS_TOKEN',
      undefined,
      'is required in production: /metrics shows subscriber counts and send activity (at least 32 characters)',
    );
  }

  return new AppConfig({
    env: env.NODE_ENV as NodeEnv,
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
      corsOrigins: csv(env.CORS_ORIGINS),
      trustProxy: trustProxy(env.TRUST_PROXY),
      bodyLimit: env.BODY_LIMIT.toLowerCase(),
      bodyLimitBytes: Number(/^\d+/.exec(env.BODY_LIMIT)![0]) * (/kb$/i.test(env.BODY_LIMIT) ? 1024 : 1),
    },
    database: { url: env.DATABASE_URL, create: env.DATABASE_CREATE, runMigrations: env.MIGRATIONS_RUN },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    runWorkers: env.RUN_WORKERS,
    mail: {
      transport,
      from: env.MAIL_FROM,
      ...(env.REPLY_TO ? { replyTo: parseMailbox(env.REPLY_TO) } : {}),
      senderDomain: senderDomain(env.MAIL_FROM),
      returnPath: inbound.domain ? `bounces@${inbound.domain}` : undefined,
      smtp: { url: env.SMTP_URL, poolSize: env.SMTP_POOL_SIZE },
      outbox: { dir: env.OUTBOX_DIR },
      ses: {
        region: env.SES_REGION,
        endpoint: env.SES_ENDPOINT,
        accessKeyId: env.SES_ACCESS_KEY_ID,
        secretAccessKey: env.SES_SECRET_ACCESS_KEY,
        configurationSet: env.SES_CONFIGURATION_SET,
      },
      postmark: {
        serverToken: env.POSTMARK_SERVER_TOKEN,
        messageStream: env.POSTMARK_MESSAGE_STREAM,
        apiUrl: env.POSTMARK_API_URL,
      },
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
      confirmationMailsPerDomainPerHour: env.CONFIRMATION_MAILS_PER_DOMAIN_PER_HOUR,
      confirmationMailsPerHour: env.CONFIRMATION_MAILS_PER_HOUR,
      confirmTokenTtlHours: env.CONFIRM_TOKEN_TTL_HOURS,
      pendingPurgeDays: env.PENDING_PURGE_DAYS,
      limitUnsolvedPerIpPerHour: env.SUBSCRIBE_LIMIT_UNSOLVED_PER_IP_PER_HOUR,
      suppressionKey: productionKey(
        env,
        'SUPPRESSION_KEY',
        'erased addresses are kept only as an HMAC under this key (at least 32 characters)',
        'tidings-development-suppression-key-not-for-production',
      ),
      tokenKey: productionKey(
        env,
        'TOKEN_KEY',
        'the personal links in mails are made with this key (at least 32 characters)',
        'tidings-development-token-key-not-for-production',
      ),
    },
    botCheck: botCheck(env),
    admin: { tokens: csv(env.ADMIN_TOKENS), ownerEmail: env.OWNER_EMAIL || undefined },
    metrics: { token: env.METRICS_TOKEN },
    docs: { enabled: env.DOCS_ENABLED ? env.DOCS_ENABLED === 'true' : !production },
    feeds: {
      urls: csv(env.FEED_URLS),
      blogUrl: env.BLOG_URL,
      pollCron: env.FEED_POLL_CRON,
      timeoutMs: env.FEED_TIMEOUT_MS,
      maxBytes: env.FEED_MAX_BYTES,
      maxRedirects: env.FEED_MAX_REDIRECTS,
      allowPrivate: env.FEED_ALLOW_PRIVATE,
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
      domainRates: domainRates(env),
    },
    inbound,
    deliverability: {
      ses: { topicArns: csv(env.SES_SNS_TOPIC_ARNS) },
      postmark: { webhookSecret: env.POSTMARK_WEBHOOK_SECRET },
      mailgun: { signingKey: env.MAILGUN_WEBHOOK_SIGNING_KEY, toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS },
      sendgrid: { publicKey: env.SENDGRID_WEBHOOK_PUBLIC_KEY, toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS },
      webhookBodyLimit: env.WEBHOOK_BODY_LIMIT.toLowerCase(),
      softBouncesToBounce: env.SOFT_BOUNCES_TO_BOUNCE,
      softBounceWindowDays: env.SOFT_BOUNCE_WINDOW_DAYS,
      eventRetentionDays: env.EVENT_RETENTION_DAYS,
      pauseBounceRate: env.PAUSE_BOUNCE_RATE / 100,
      pauseComplaintRate: env.PAUSE_COMPLAINT_RATE / 100,
      pauseMinDeliveries: env.PAUSE_MIN_DELIVERIES,
    },
    log: { level: env.LOG_LEVEL as LogLevel, format: env.LOG_FORMAT as 'json' | 'text' },
  });
}
