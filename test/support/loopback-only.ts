import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;
type ConnectOptions = { host?: string; path?: string; lookup?: Lookup };

const isLoopback = (address: string) => {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === 'loopback';
};

/**
 * Confines every TCP connection of the test process to loopback, below any code under test: it
 * replaces `net.Socket.prototype.connect`, through which net, http, tls, undici, pg and ioredis all
 * connect. A connection to a non-loopback address, or to a name resolved without a `lookup` of
 * the caller's (the system's DNS), is refused before it starts and recorded in `blocked`: a
 * broken guard fails its test instead of sending a packet off the machine. Addresses in
 * `standIns` (public addresses a test resolver hands out) are carried to the loopback address
 * they map to, so that the code under test sees a public blog while the test serves it locally.
 */
export class LoopbackOnly {
  /** What was refused here: every entry is a connection the code under test should never have tried. */
  readonly blocked: string[] = [];
  /** Each name a socket was opened for, in order, before its lookup ran. */
  readonly names: string[] = [];
  private original: Socket['connect'] | null = null;

  constructor(private readonly standIns: ReadonlyMap<string, string>) {}

  install(): this {
    const original = Socket.prototype.connect;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the replacement needs both `this`es
    const sandbox = this;
    Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
      const problem = sandbox.admit(args);
      if (!problem) return (original as (...a: unknown[]) => Socket).apply(this, args);
      process.nextTick(() => this.destroy(problem));
      return this;
    };
    this.original = original;
    return this;
  }

  uninstall(): void {
    if (this.original) Socket.prototype.connect = this.original;
    this.original = null;
  }

  /** Null to let the connection go (its lookup wrapped), or why it may not. */
  private admit(args: unknown[]): Error | null {
    const [first, second] = args;
    // net.connect hands over its normalised [options, listener]; tls.connect and others pass options; pg passes (port, host).
    const options: ConnectOptions | undefined = Array.isArray(first)
      ? (first[0] as ConnectOptions)
      : typeof first === 'object' && first !== null
        ? first
        : undefined;
    if (options?.path) return null;
    const host = options ? (options.host ?? 'localhost') : typeof second === 'string' ? second : 'localhost';
    if (host === 'localhost' || (isIP(host.replace(/^\[(.*)\]$/, '$1')) && isLoopback(host))) return null;
    if (isIP(host.replace(/^\[(.*)\]$/, '$1')) || !options?.lookup)
      return this.block(`${host} (no lookup of the caller's)`);
    this.names.push(host);
    options.lookup = this.confined(options.lookup);
    return null;
  }

  private confined(lookup: Lookup): Lookup {
    return (hostname, lookupOptions, callback) =>
      lookup(hostname, lookupOptions, (error, address, family) => {
        if (error) return callback(error, '');
        const found = Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }];
        const mapped: LookupAddress[] = [];
        for (const entry of found) {
          const standIn = this.standIns.get(entry.address);
          if (standIn) mapped.push({ address: standIn, family: isIP(standIn) });
          else if (isLoopback(entry.address)) mapped.push(entry);
          else return callback(this.block(`${hostname} at ${entry.address}`), '');
        }
        if (lookupOptions.all) callback(null, mapped);
        else callback(null, mapped[0].address, mapped[0].family);
      });
  }

  private block(what: string): Error {
    this.blocked.push(what);
    return new Error(`LoopbackOnly: a connection to ${what} was refused; tests connect to loopback only`);
  }
}
