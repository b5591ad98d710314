import { isIP } from 'node:net';
import type { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';
import { csv } from './env/env-transforms.js';

/**
 * `true` would believe every X-Forwarded-For entry, which any client can write: refused, with the
 * two forms that name how far to trust instead. Subnets are checked by Express when it compiles them.
 */
export function trustProxy(value: string): AppConfig['http']['trustProxy'] {
  if (/^(false|0)$/i.test(value)) return false;
  if (/^true$/i.test(value)) {
    throw new ConfigError(
      'TRUST_PROXY',
      value,
      'would trust every X-Forwarded-For entry a client sends: give the number of proxies in front (e.g. 1) or their addresses/subnets',
    );
  }
  if (/^\d+$/.test(value)) return Number(value);
  const list = csv(value);
  for (const entry of list) {
    if (!/^(loopback|linklocal|uniquelocal)$/i.test(entry) && !isIpOrSubnet(entry))
      throw new ConfigError(
        'TRUST_PROXY',
        value,
        `${entry} is neither an IP address, a subnet nor loopback/linklocal/uniquelocal`,
      );
  }
  return list;
}

function isIpOrSubnet(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !isIP(address)) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128);
}
