import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../config/load-config.js';
import { isWellFormedToken } from '../common/secret-token.js';
import { LinkTokens } from './link-tokens.js';

const links = new LinkTokens(loadConfig({ TOKEN_KEY: 'k'.repeat(40) }));
const otherKey = new LinkTokens(loadConfig({ TOKEN_KEY: 'j'.repeat(40) }));

describe(LinkTokens.name, () => {
  const id = randomUUID();
  const nonce = randomBytes(16);

  it('makes a well-formed unsubscribe token that names the subscriber and matches their nonce only', () => {
    const token = links.unsubscribeToken(id, nonce);
    expect(isWellFormedToken(token)).toBe(true);
    const parsed = links.parse(token);
    expect(parsed).toMatchObject({ kind: 'keyed', subscriberId: id });
    if (parsed?.kind !== 'keyed') throw new Error('not keyed');
    expect(links.matches(parsed, nonce)).toBe(true);
    // A new nonce (re-subscribing) or another key makes the same token worthless.
    expect(links.matches(parsed, randomBytes(16))).toBe(false);
    expect(otherKey.matches(parsed, nonce)).toBe(false);
  });

  it('refuses a token whose MAC was changed, or that belongs to another subscriber', () => {
    const token = links.unsubscribeToken(id, nonce);
    // A character in the middle of the MAC: every one of its bits counts.
    const flipped = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
    const forged = links.parse(links.unsubscribeToken(randomUUID(), nonce).slice(0, 22) + token.slice(22));
    for (const parsed of [links.parse(flipped), forged]) {
      if (parsed?.kind !== 'keyed') throw new Error('not keyed');
      expect(links.matches(parsed, nonce)).toBe(false);
    }
  });

  it('derives the confirmation token from its id and the key alone', () => {
    const tokenId = randomUUID();
    expect(links.confirmationToken(tokenId)).toBe(links.confirmationToken(tokenId));
    expect(links.confirmationToken(tokenId)).not.toBe(otherKey.confirmationToken(tokenId));
    expect(isWellFormedToken(links.confirmationToken(tokenId))).toBe(true);
  });

  it('refuses a second spelling of a token (spare bits in the last character)', () => {
    const token = links.unsubscribeToken(id, nonce);
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(token.at(-1)!);
    const respelled = token.slice(0, -1) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1];
    expect(links.parse(respelled)).toBeNull();
  });

  it('reads an old 43-character token as legacy, and anything else as nothing', () => {
    expect(links.parse('a'.repeat(43))).toEqual({ kind: 'legacy', token: 'a'.repeat(43) });
    for (const bad of ['', 'a'.repeat(42), 'a'.repeat(45), `${'a'.repeat(43)}!`]) expect(links.parse(bad)).toBeNull();
  });
});
