import { INVALID_ADDRESSES } from '../../test/fixtures/invalid-addresses.js';
import { checkEmailAddress } from './email-address.js';

describe('checkEmailAddress', () => {
  it.each(INVALID_ADDRESSES)('refuses %s with a reason', (_kind, input, reason) => {
    const result = checkEmailAddress(input);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(reason);
  });

  it.each([
    ['Subscriber.One@Example.COM', 'subscriber.one@example.com'],
    ['  subscriber@example.com  ', 'subscriber@example.com'],
    ['first.last+digest@sub.example.co.uk', 'first.last+digest@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['subscriber@xn--bcher-kva.example', 'subscriber@xn--bcher-kva.example'],
  ])('accepts and normalises %s', (input, expected) => {
    expect(checkEmailAddress(input)).toEqual({ ok: true, email: expected });
  });
});
