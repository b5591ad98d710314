import type { AppConfig } from '../config/app-config.js';

export interface UnsubscribeUrls {
  /** The page with a button, for people. */
  page: string;
  /** The RFC 8058 endpoint, for mailbox providers. */
  oneClick: string;
}

export function unsubscribeUrls(config: AppConfig, token: string): UnsubscribeUrls {
  return { page: config.url(`/unsubscribe/${token}`), oneClick: config.url(`/unsubscribe/${token}/one-click`) };
}

/** List-Unsubscribe (RFC 2369) with its one-click companion (RFC 8058), and a mailto for old clients. */
export function unsubscribeHeaders(config: AppConfig, urls: UnsubscribeUrls): Record<string, string> {
  return {
    'List-Unsubscribe': `<${urls.oneClick}>, <mailto:${config.company.email}?subject=unsubscribe>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
