import type { AppConfig } from '../config/app-config.js';

export interface UnsubscribeUrls {
  /** The subscriber's manage page: pause, format, address, data. */
  manage: string;
  /** The page with a button, for people. */
  page: string;
  /** The RFC 8058 endpoint, for mailbox providers. */
  oneClick: string;
}

export function unsubscribeUrls(config: AppConfig, token: string): UnsubscribeUrls {
  return {
    manage: config.url(`/manage/${token}`),
    page: config.url(`/unsubscribe/${token}`),
    oneClick: config.url(`/unsubscribe/${token}/one-click`),
  };
}

/**
 * List-Unsubscribe (RFC 2369) with its one-click companion (RFC 8058). No mailto: nothing reads
 * inbound mail yet, and a request nobody processes is a promise broken.
 */
export function unsubscribeHeaders(_config: AppConfig, urls: UnsubscribeUrls): Record<string, string> {
  return {
    'List-Unsubscribe': `<${urls.oneClick}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
