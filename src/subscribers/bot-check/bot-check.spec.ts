import { createChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { encodeAltcha as encode, expiredAltcha, solveAltcha as solved } from '../../../test/support/altcha.js';
import { newTestService } from '../../../test/support/unit/new-test-service.js';
import { BotCheck } from './bot-check.js';
import { UsedChallenges } from './used-challenges.js';

const KEY = 'k'.repeat(40);
// Easy enough to solve here in a few milliseconds; the decision does not depend on the difficulty.
const env = { ALTCHA_HMAC_KEY: KEY, ALTCHA_COST: '1', ALTCHA_COUNTER_MAX: '40' };

describe(BotCheck.name, () => {
  const setup = (extra: Record<string, string> = {}) => {
    const { sut, mocks } = newTestService(BotCheck, { env: { ...env, ...extra } });
    const used = mocks.get(UsedChallenges);
    used.claim.mockResolvedValue(true);
    return { sut, used };
  };

  it('asks for the configured work: a counter between half ALTCHA_COUNTER_MAX and all of it, expiring in 10 minutes', async () => {
    const { sut } = setup();
    const { challenge, solution } = await solved((await sut.challenge())!);
    expect(solution.counter).toBeGreaterThanOrEqual(20);
    expect(solution.counter).toBeLessThanOrEqual(40);
    expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 1 });
    expect(challenge.parameters.expiresAt! * 1000 - Date.now()).toBeGreaterThan(9.9 * 60_000);
  });

  it('passes a solution of its own challenge once, claiming its signature until the challenge expires', async () => {
    const { sut, used } = setup();
    const payload = await solved((await sut.challenge())!);
    expect(await sut.verify(encode(payload))).toEqual({ kind: 'solved' });
    const [signature, until] = used.claim.mock.calls[0];
    expect(signature).toBe(payload.challenge.signature);
    expect(until.getTime()).toBe(payload.challenge.parameters.expiresAt! * 1000);

    used.claim.mockResolvedValue(false);
    expect(await sut.verify(encode(payload))).toEqual({
      kind: 'refused',
      problem: 'altcha: this bot check was already used; press Subscribe again for a new one',
    });
  });

  it('lets a post without a solution through as unsolved: the form works without JavaScript', async () => {
    const { sut, used } = setup();
    expect(await sut.verify(undefined)).toEqual({ kind: 'unsolved' });
    // The widget's field is there but empty when the form was sent before the work was done.
    expect(await sut.verify('')).toEqual({ kind: 'unsolved' });
    expect(used.claim).not.toHaveBeenCalled();
  });

  it('refuses a forged solution, a tampered challenge and a challenge signed with another key, claiming nothing', async () => {
    const { sut, used } = setup();
    const { challenge, solution } = await solved((await sut.challenge())!);
    const last = solution.derivedKey.at(-1) === '0' ? '1' : '0';
    const forgedKey = { challenge, solution: { ...solution, derivedKey: solution.derivedKey.slice(0, -1) + last } };
    const otherCounter = { challenge, solution: { ...solution, counter: solution.counter + 1 } };
    const easier = { challenge: { ...challenge, parameters: { ...challenge.parameters, keyPrefix: '0' } }, solution };
    const foreign = await solved(
      await createChallenge({
        algorithm: 'PBKDF2/SHA-256',
        cost: 1,
        counter: 3,
        deriveKey,
        hmacSignatureSecret: 'x'.repeat(40),
      }),
    );
    const unsigned = { challenge: { parameters: challenge.parameters }, solution };
    for (const payload of [forgedKey, otherCounter, easier, foreign]) {
      expect(await sut.verify(encode(payload))).toEqual({
        kind: 'refused',
        problem: 'altcha does not solve its bot check; reload the page and try again',
      });
    }
    expect((await sut.verify(encode(unsigned))).kind).toBe('refused');
    expect(used.claim).not.toHaveBeenCalled();
  });

  it('refuses an expired challenge, even solved', async () => {
    const { sut, used } = setup();
    expect(await sut.verify(encode(await expiredAltcha(KEY)))).toEqual({
      kind: 'refused',
      problem: 'altcha: the bot check expired (it lasts 10 minutes); press Subscribe again for a new one',
    });
    expect(used.claim).not.toHaveBeenCalled();
  });

  it('refuses what is not a solution at all, without throwing', async () => {
    const { sut } = setup();
    const unreadable = 'altcha is not a bot-check solution from this form; reload the page and try again';
    for (const field of [
      'yes',
      encode([]),
      encode(null),
      encode({ challenge: {} }),
      encode({ challenge: 'x', solution: 1 }),
    ])
      expect(await sut.verify(field)).toEqual({ kind: 'refused', problem: unreadable });
    const { challenge } = await solved((await sut.challenge())!);
    // Odd-length hex and a counter out of range reach the library, which must not turn them into a 500.
    for (const solution of [{ counter: 1, derivedKey: 'abc' }, { counter: -1, derivedKey: 'ab' }, {}])
      expect((await sut.verify(encode({ challenge, solution }))).kind).toBe('refused');
  });

  it('checks nothing with BOT_CHECK=off, and hands out no challenge', async () => {
    const { sut, used } = setup({ BOT_CHECK: 'off' });
    expect(sut.enabled).toBe(false);
    expect(await sut.challenge()).toBeUndefined();
    expect(await sut.verify('anything')).toEqual({ kind: 'off' });
    expect(used.claim).not.toHaveBeenCalled();
  });
});
