import { redactSecrets } from './redact-secrets.js';

/** Variables whose values are never echoed back, even in a configuration error. */
const SECRET_VARIABLES = new Set([
  'SMTP_URL',
  'DATABASE_URL',
  'REDIS_URL',
  'ADMIN_TOKENS',
  'DKIM_PRIVATE_KEY',
  'METRICS_TOKEN',
  'SES_SECRET_ACCESS_KEY',
  'POSTMARK_SERVER_TOKEN',
  'POSTMARK_WEBHOOK_SECRET',
  'MAILGUN_WEBHOOK_SIGNING_KEY',
  'SUPPRESSION_KEY',
  'TOKEN_KEY',
  'ALTCHA_HMAC_KEY',
  'INBOUND_IMAP_URL',
]);

/** A configuration problem, worded as the one line the start prints before it stops. */
export class ConfigError extends Error {
  constructor(variable: string, value: string | undefined, problem: string) {
    // A URL that is not secret as a whole (FEED_URLS) may still carry a password or a token.
    const shown =
      value === undefined
        ? '(unset)'
        : SECRET_VARIABLES.has(variable)
          ? '(hidden)'
          : JSON.stringify(redactSecrets(value));
    super(`${variable}=${shown}: ${problem}`);
    this.name = 'ConfigError';
  }
}
