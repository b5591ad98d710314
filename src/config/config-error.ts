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
  'INBOUND_IMAP_URL',
]);

/** A configuration problem, worded as the one line the start prints before it stops. */
export class ConfigError extends Error {
  constructor(variable: string, value: string | undefined, problem: string) {
    const shown = value === undefined ? '(unset)' : SECRET_VARIABLES.has(variable) ? '(hidden)' : JSON.stringify(value);
    super(`${variable}=${shown}: ${problem}`);
    this.name = 'ConfigError';
  }
}
