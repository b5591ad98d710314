import ipaddr from 'ipaddr.js';

/** What a refused range is, in the words of a feed's lastError. */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  uniqueLocal: 'a private network address',
  carrierGradeNat: 'a private network address',
  linkLocal: 'a link-local address (where cloud metadata services answer)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

/** NAT64's well-known prefix 64:ff9b::/96 (RFC 6052): an IPv4 address in its last 32 bits. */
const NAT64_PREFIX = [0x64, 0xff9b, 0, 0, 0, 0];

/**
 * Null when `address` is a public unicast address, otherwise what it is instead ("a loopback
 * address" ...). IPv4 in any form ipaddr.js reads (`127.0.0.1`, `0x7f000001`, `2130706433`,
 * `0177.0.0.1`), IPv6 with or without brackets, and IPv4 inside IPv6 (`::ffff:127.0.0.1`, NAT64's
 * `64:ff9b::a00:1`) judged as the IPv4 address it reaches. Every special-purpose range counts as
 * not public, and so does anything that is not an address at all.
 */
export function nonPublicAddress(address: string): string | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  let ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (NAT64_PREFIX.every((part, index) => v6.parts[index] === part))
      ip = ipaddr.fromByteArray(v6.toByteArray().slice(12));
  }
  const range = ip.range();
  if (range === 'unicast') return null;
  return RANGE_WORDS[range] ?? `a reserved address (${range})`;
}
