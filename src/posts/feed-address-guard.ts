import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent } from 'undici';
import { AppConfig } from '../config/app-config.js';
import { FeedReadError } from './feed-read-error.js';
import { FeedResolver, type ResolvedAddress } from './feed-resolver.js';
import { nonPublicAddress } from './public-address.js';

/** A feed host refused for its address, before anything was sent to it. */
export class FeedAddressRefused extends FeedReadError {}

type LookupCallback = (error: Error | null, address: string | ResolvedAddress[], family?: number) => void;

/**
 * Keeps feed fetches away from loopback, private and link-local addresses (cloud metadata
 * included), where a feed's redirect could otherwise reach internal services and its lastError
 * tell which ports answer. Two checks: `check` before each hop, which refuses in plain words
 * before anything is sent, and the `lookup` of every connection the dispatcher opens, which
 * judges the very address connected to, so that a name answering differently the second time
 * (DNS rebinding) gains nothing. FEED_ALLOW_PRIVATE=true turns both off.
 */
@Injectable()
export class FeedAddressGuard implements OnModuleDestroy {
  /** The dispatcher of every feed fetch: its connections resolve names through the guard. */
  readonly dispatcher: Agent;
  private readonly allowPrivate: boolean;

  constructor(
    config: AppConfig,
    private readonly resolver: FeedResolver,
  ) {
    this.allowPrivate = config.feeds.allowPrivate;
    this.dispatcher = new Agent({
      connect: { lookup: (hostname, options, callback) => this.lookup(hostname, options, callback) },
    });
  }

  /** Refuses `url` when its host is, or resolves to, an address that is not public. */
  async check(url: string): Promise<void> {
    if (this.allowPrivate) return;
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (!isIP(host)) {
      await this.addressesOf(host);
      return;
    }
    const what = nonPublicAddress(host);
    if (what) throw new FeedAddressRefused(`${host} is ${what}`);
  }

  onModuleDestroy(): Promise<void> {
    return this.dispatcher.close();
  }

  /** net.connect's `lookup`: the addresses a connection may try, all of them checked. */
  private lookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    this.addressesOf(hostname).then(
      (found) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const addresses = family ? found.filter((address) => address.family === family) : found;
        if (!addresses.length) return callback(new FeedReadError(`${hostname} has no IPv${family} address`), '');
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => callback(error, ''),
    );
  }

  private async addressesOf(hostname: string): Promise<ResolvedAddress[]> {
    const addresses = await this.resolver.resolve(hostname);
    if (!this.allowPrivate) {
      for (const { address } of addresses) {
        const what = nonPublicAddress(address);
        // Not the address itself: the operator needs the kind, and no one needs internal names' addresses.
        if (what) throw new FeedAddressRefused(`${hostname} resolves to ${what}`);
      }
    }
    return addresses;
  }
}
