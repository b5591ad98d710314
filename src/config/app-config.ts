import type { CompanyProfile } from './company-profile.js';
import type { Mailbox } from './mailbox.js';
import type { DomainRate } from './domain-rates.js';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** The values of MAIL_TRANSPORT; each names one file under src/mail/transports/. */
export const MAIL_TRANSPORT_NAMES = ['smtp', 'outbox', 'ses', 'postmark'] as const;
export type MailTransportName = (typeof MAIL_TRANSPORT_NAMES)[number];

/**
 * The validated configuration, built once by `loadConfig` and injected by class. Features read
 * their own section; nothing outside config/ reads `process.env`.
 */
export class AppConfig {
  readonly env: NodeEnv;
  readonly http: {
    port: number;
    host: string;
    publicUrl: string;
    corsOrigins: string[];
    /** Express's `trust proxy`: false, a hop count, or the proxies' addresses/subnets. */
    trustProxy: false | number | string[];
    bodyLimit: string;
    /** BODY_LIMIT in bytes: also the cap of a multipart body. */
    bodyLimitBytes: number;
  };
  readonly database: { url: string; create: boolean; runMigrations: boolean };
  readonly redis: { url: string; prefix: string };
  readonly runWorkers: boolean;
  readonly mail: {
    transport: MailTransportName;
    from: string;
    /** REPLY_TO: where readers' replies go; every mail carries it as Reply-To when set. */
    replyTo?: Mailbox;
    /** The domain of MAIL_FROM: Message-IDs and the default List-Id are on it. */
    senderDomain: string;
    /** The SMTP envelope sender, where bounces go: `bounces@INBOUND_DOMAIN` when inbound mail is read, else MAIL_FROM's address. */
    returnPath?: string;
    /** One section per transport; only the chosen one's is checked. */
    smtp: { url?: string; poolSize: number };
    outbox: { dir: string };
    /** Amazon SES v2; `endpoint` only to point the SDK at a stand-in. No keys: the SDK's default credential chain. */
    ses: {
      region?: string;
      endpoint?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      configurationSet?: string;
    };
    /** Postmark; `apiUrl` only to point the client at a stand-in. */
    postmark: { serverToken?: string; messageStream: string; apiUrl?: string };
    /** Signs every message, raw ones included, when set. */
    dkim?: { domainName: string; keySelector: string; privateKey: string };
  };
  readonly company: CompanyProfile;
  readonly subscriptions: {
    heading: string;
    intro: string;
    limitPerIpPerMinute: number;
    limitPerAddressPerHour: number;
    /** Posts without a bot-check solution, per client address and hour (only while the check is on). */
    limitUnsolvedPerIpPerHour: number;
    confirmationMailsPerDay: number;
    confirmationMailsPerDomainPerHour: number;
    confirmationMailsPerHour: number;
    confirmTokenTtlHours: number;
    pendingPurgeDays: number;
    /** HMAC key for addresses kept as hashes (suppressions, mailbox caps). */
    suppressionKey: string;
    /** HMAC key of the personal links' tokens (confirm, unsubscribe, manage). */
    tokenKey: string;
  };
  /** The subscribe form's proof-of-work challenge (ALTCHA), or none. */
  readonly botCheck: { mode: 'off' } | { mode: 'altcha'; hmacKey: string; cost: number; counterMax: number };
  /** ADMIN_TOKENS (owner-level bootstrap) and OWNER_EMAIL, the first owner made at start. */
  readonly admin: { tokens: string[]; ownerEmail?: string };
  readonly metrics: { token?: string };
  /** Whether /docs and /docs-json are served (off in production unless DOCS_ENABLED=true). */
  readonly docs: { enabled: boolean };
  readonly feeds: {
    urls: string[];
    blogUrl: string;
    pollCron: string;
    timeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
    /** Loopback, private and link-local addresses may be read (FEED_ALLOW_PRIVATE). */
    allowPrivate: boolean;
    maxPages: number;
    userAgent: string;
  };
  readonly digest: {
    cron: string;
    timeZone: string;
    approval: 'auto' | 'required';
    maxPosts: number;
    subjectTemplate: string;
  };
  readonly delivery: {
    concurrency: number;
    ratePerSecond: number;
    maxAttempts: number;
    backoffMs: number;
    lockMs: number;
    reconcileIntervalMs: number;
    fanOutBatchSize: number;
    listId: string;
    /** DOMAIN_RATES: recipient domains sent to no faster than their rate, across every worker. */
    domainRates: DomainRate[];
  };
  /**
   * Mail coming back by mail (DSN bounces, ARF complaints, List-Unsubscribe mailto). `domain` is
   * set only when something reads it, so a mailto is offered only then.
   */
  readonly inbound: {
    domain?: string;
    smtp?: { host: string; port: number };
    imap?: {
      host: string;
      port: number;
      secure: boolean;
      user: string;
      password: string;
      mailbox: string;
      pollSeconds: number;
    };
    maxBytes: number;
  };
  /** Provider events coming back: webhook secrets (a provider without one is refused) and the automatic pause. */
  readonly deliverability: {
    ses: { topicArns: string[] };
    postmark: { webhookSecret?: string };
    mailgun: { signingKey?: string; toleranceSeconds: number };
    sendgrid: { publicKey?: string; toleranceSeconds: number };
    webhookBodyLimit: string;
    softBouncesToBounce: number;
    softBounceWindowDays: number;
    eventRetentionDays: number;
    pauseBounceRate: number;
    pauseComplaintRate: number;
    pauseMinDeliveries: number;
  };
  readonly log: { level: LogLevel; format: 'json' | 'text' };

  constructor(values: Omit<AppConfig, 'url'>) {
    Object.assign(this, values);
  }

  /** An absolute URL under PUBLIC_URL. */
  url(path: string): string {
    return new URL(
      path,
      this.http.publicUrl.endsWith('/') ? this.http.publicUrl : `${this.http.publicUrl}/`,
    ).toString();
  }
}
