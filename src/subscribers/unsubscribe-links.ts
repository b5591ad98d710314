import type { AppConfig } from '../config/app-config.js';
import { isWellFormedToken } from '../common/secret-token.js';

export interface UnsubscribeUrls {
  /** The subscriber's manage page: pause, format, address, data. */
  manage: string;
  /** The page with a button, for people. */
  page: string;
  /** The RFC 8058 endpoint, for mailbox providers. */
  oneClick: string;
  /** `mailto:unsubscribe+<token>@INBOUND_DOMAIN`: only when inbound mail is read, never a promise nobody keeps. */
  mailto?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The links of one subscriber. With `digestId` (a digest's copy), each carries the digest it came
 * in, as `?digest=` on the URLs and in the mailto's subject, so an unsubscribe is counted for it.
 */
export function unsubscribeUrls(config: AppConfig, token: string, digestId?: string): UnsubscribeUrls {
  const query = digestId ? `?digest=${digestId}` : '';
  const domain = config.inbound.domain;
  return {
    manage: config.url(`/manage/${token}${query}`),
    page: config.url(`/unsubscribe/${token}${query}`),
    oneClick: config.url(`/unsubscribe/${token}/one-click${query}`),
    ...(domain
      ? { mailto: `mailto:${unsubscribeAddress(domain, token)}${digestId ? `?subject=unsubscribe%20${digestId}` : ''}` }
      : {}),
  };
}

/** Where a mail client sends the List-Unsubscribe mailto. */
export function unsubscribeAddress(domain: string, token: string): string {
  return `unsubscribe+${token}@${domain}`;
}

/** The token of an `unsubscribe+<token>@<domain>` address, or null for any other address. */
export function tokenOfUnsubscribeAddress(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const local = address.slice(0, at);
  if (!local.toLowerCase().startsWith('unsubscribe+')) return null;
  const token = local.slice('unsubscribe+'.length);
  return isWellFormedToken(token) ? token : null;
}

/**
 * The digest an unsubscribe names (`?digest=` or the mailto subject), when it is a digest id.
 * Attribution only: anything else is ignored, and the unsubscribe goes ahead all the same.
 */
export function digestRef(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const candidate = value.trim().split(/\s+/).pop() ?? '';
  return UUID.test(candidate) ? candidate.toLowerCase() : undefined;
}

/**
 * List-Unsubscribe (RFC 2369) with its one-click companion (RFC 8058): the HTTPS URL first, as
 * RFC 8058 requires one, then the mailto when inbound mail is read.
 */
export function unsubscribeHeaders(urls: UnsubscribeUrls): Record<string, string> {
  return {
    'List-Unsubscribe': [urls.oneClick, urls.mailto]
      .filter(Boolean)
      .map((url) => `<${url}>`)
      .join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
