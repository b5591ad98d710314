import { mailboxDomain, mailboxKey } from './mailbox-key.js';

describe(mailboxKey.name, () => {
  it('drops a +tag, keeping the rest of the address', () => {
    expect(mailboxKey('victim+20@example.com')).toBe('victim@example.com');
    expect(mailboxKey('a.b+x+y@example.com')).toBe('a.b@example.com');
  });

  it('drops the dots only where the provider ignores them', () => {
    expect(mailboxKey('v.i.c.t.i.m+1@googlemail.com')).toBe('victim@gmail.com');
    expect(mailboxKey('v.ictim@example.com')).toBe('v.ictim@example.com');
  });

  it('keeps a local part that starts with +', () => {
    expect(mailboxKey('+tag@example.com')).toBe('+tag@example.com');
  });

  it('names the delivering domain', () => {
    expect(mailboxDomain('x@googlemail.com')).toBe('gmail.com');
  });
});
