import type { AppConfig } from '../config/app-config.js';
import { ConsoleKeys } from './console-keys.js';

const keysFor = (tokenKey: string) => new ConsoleKeys({ subscriptions: { tokenKey } } as AppConfig);

describe(ConsoleKeys.name, () => {
  const sut = keysFor('k'.repeat(32));

  it("accepts a session's own CSRF token and refuses another session's, a wrong one or none", () => {
    const token = sut.csrfToken('session-a');
    expect(sut.csrfTokenMatches('session-a', token)).toBe(true);
    expect(sut.csrfTokenMatches('session-b', token)).toBe(false);
    expect(sut.csrfTokenMatches('session-a', `${token}x`)).toBe(false);
    expect(sut.csrfTokenMatches('session-a', 'x'.repeat(token.length))).toBe(false);
    expect(sut.csrfTokenMatches('session-a', undefined)).toBe(false);
    expect(sut.csrfTokenMatches('session-a', [token])).toBe(false);
  });

  it('derives different keys from another TOKEN_KEY, and keeps the cookie key apart from the CSRF key', () => {
    const other = keysFor('o'.repeat(32));
    expect(other.cookieSecret).not.toBe(sut.cookieSecret);
    expect(other.csrfToken('session-a')).not.toBe(sut.csrfToken('session-a'));
    expect(sut.cookieSecret).not.toBe(sut.csrfToken(''));
  });
});
