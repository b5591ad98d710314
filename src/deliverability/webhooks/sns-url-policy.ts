import { Injectable } from '@nestjs/common';

/**
 * Which URLs an SNS message may send us to (its SigningCertURL and SubscribeURL): https on
 * `sns.<region>.amazonaws.com` only, so a forged message cannot make us trust its own certificate
 * or call an address of its choosing. A provider, so tests can replace it (test/support) with one
 * that allows their loopback stand-in; nothing in configuration can widen it.
 */
@Injectable()
export class SnsUrlPolicy {
  allows(url: URL): boolean {
    return url.protocol === 'https:' && /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname) && !url.port;
  }
}
