import fc from 'fast-check';
import { addressLike, runs, typedAddress } from '../../test/support/arbitraries.js';
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

  describe('properties', () => {
    it('never throws, whatever it is given, and names the problem when it refuses', () => {
      fc.assert(
        fc.property(fc.oneof(addressLike, fc.anything()), (input) => {
          const result = checkEmailAddress(input);
          if (!result.ok) expect(result.problem).toMatch(/\S/);
        }),
        runs(200),
      );
    });

    it('accepts only one @, printable ASCII without spaces, lower case, at most 254 characters, and reads its own output back unchanged', () => {
      fc.assert(
        fc.property(addressLike, (input) => {
          const result = checkEmailAddress(input);
          if (!result.ok) return;
          expect(result.email.split('@')).toHaveLength(2);
          expect(result.email).toMatch(/^[\x21-\x7e]{3,254}$/);
          expect(result.email).toBe(result.email.toLowerCase());
          expect(checkEmailAddress(result.email)).toEqual(result);
          expect(checkEmailAddress(` ${input.toUpperCase()} `)).toEqual(result);
        }),
        runs(200),
      );
    });

    it('accepts what subscribers type, in any case', () => {
      fc.assert(
        fc.property(typedAddress, fc.boolean(), (address, upper) => {
          expect(checkEmailAddress(upper ? address.toUpperCase() : address)).toEqual({
            ok: true,
            email: address.toLowerCase(),
          });
        }),
        runs(200),
      );
    });
  });
});
