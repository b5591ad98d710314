import { nonPublicAddress } from './public-address.js';

describe(nonPublicAddress.name, () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.1.2.3', 'a loopback address'],
    ['0x7f000001', 'a loopback address'],
    ['2130706433', 'a loopback address'],
    ['0177.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['[::1]', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['[::ffff:7f00:1]', 'a loopback address'],
    ['10.0.0.1', 'a private network address'],
    ['172.16.5.4', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['100.64.0.1', 'a private network address'],
    ['fd00::1', 'a private network address'],
    ['::ffff:10.0.0.1', 'a private network address'],
    ['64:ff9b::a00:1', 'a private network address'],
    ['169.254.169.254', 'a link-local address (where cloud metadata services answer)'],
    ['0xa9fea9fe', 'a link-local address (where cloud metadata services answer)'],
    ['fe80::1', 'a link-local address (where cloud metadata services answer)'],
    ['::ffff:169.254.169.254', 'a link-local address (where cloud metadata services answer)'],
    ['0.0.0.0', 'the unspecified address'],
    ['::', 'the unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['192.0.2.1', 'a reserved address (reserved)'],
    ['2002:7f00:1::', 'a reserved address (6to4)'],
    ['intranet.example', 'not an IP address'],
  ])('refuses %s as %s', (address, words) => {
    expect(nonPublicAddress(address)).toBe(words);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::6810:84e5', '::ffff:93.184.215.14', '64:ff9b::5db8:d70e'])(
    'lets the public address %s through',
    (address) => {
      expect(nonPublicAddress(address)).toBeNull();
    },
  );
});
