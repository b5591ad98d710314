import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { parseDomainRates } from './domain-rates.js';
import type { EnvSchema } from './env.schema.js';

/** DOMAIN_RATES read, or the start stopped with the entry that is wrong. */
export function domainRates(env: EnvSchema): AppConfig['delivery']['domainRates'] {
  const parsed = parseDomainRates(env.DOMAIN_RATES);
  if ('problem' in parsed) throw new ConfigError('DOMAIN_RATES', env.DOMAIN_RATES, parsed.problem);
  return parsed.rates;
}

/** The mailbox login and path from INBOUND_IMAP_URL; the password is never shown in an error. */
function imapMailbox(env: EnvSchema): NonNullable<AppConfig['inbound']['imap']> | undefined {
  if (!env.INBOUND_IMAP_URL) return undefined;
  const refuse = (problem: string) => new ConfigError('INBOUND_IMAP_URL', env.INBOUND_IMAP_URL, problem);
  let url: URL;
  try {
    url = new URL(env.INBOUND_IMAP_URL);
  } catch {
    throw refuse('is not a URL like imaps://user:password@imap.example.com/INBOX');
  }
  if (!url.hostname) throw refuse('names no host');
  if (!url.username || !url.password)
    throw refuse('must carry the mailbox login: imaps://user:password@imap.example.com/INBOX');
  const secure = url.protocol === 'imaps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
    pollSeconds: env.INBOUND_IMAP_POLL_SECONDS,
  };
}

/**
 * Inbound mail is on when INBOUND_DOMAIN is set and something reads its mail: the SMTP listener,
 * an IMAP mailbox, or both. Either without the other is refused: a mailto nobody reads is a
 * promise broken, and a listener without a domain would not know which recipients are ours.
 */
export function inboundConfig(env: EnvSchema): AppConfig['inbound'] {
  const imap = imapMailbox(env);
  const smtp = env.INBOUND_SMTP_PORT ? { host: env.INBOUND_SMTP_HOST, port: env.INBOUND_SMTP_PORT } : undefined;
  const domain = env.INBOUND_DOMAIN?.toLowerCase();
  if (domain && !smtp && !imap)
    throw new ConfigError(
      'INBOUND_DOMAIN',
      env.INBOUND_DOMAIN,
      'needs INBOUND_SMTP_PORT or INBOUND_IMAP_URL: nothing would read the mail sent to it',
    );
  if (!domain && (smtp || imap))
    throw new ConfigError('INBOUND_DOMAIN', undefined, 'is required when INBOUND_SMTP_PORT or INBOUND_IMAP_URL is set');
  return { domain, smtp, imap, maxBytes: env.INBOUND_MAX_BYTES };
}
