import { classifySmtpFailure } from './smtp-failure.js';

const reply = (responseCode: number, response: string) =>
  Object.assign(new Error(response), { responseCode, response, code: 'EENVELOPE' });

describe(classifySmtpFailure.name, () => {
  it('retries a 4xx reply', () => {
    expect(classifySmtpFailure(reply(451, '451 4.7.1 Greylisted, try again later'))).toEqual({
      kind: 'temporary',
      code: 451,
      reason: '451 4.7.1 Greylisted, try again later',
    });
    expect(classifySmtpFailure(reply(421, '421 4.3.2 Service shutting down')).kind).toBe('temporary');
  });

  it('retries network faults that never got a reply', () => {
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET']) {
      const failure = classifySmtpFailure(Object.assign(new Error('connection dropped'), { code }));
      expect(failure).toEqual({ kind: 'temporary', code: null, reason: `${code}: connection dropped` });
    }
  });

  it('marks a 5.1.x reply as a hard bounce', () => {
    expect(
      classifySmtpFailure(reply(550, '550 5.1.1 <gone@example.com>: Subscriber address rejected: User unknown')).kind,
    ).toBe('bounce');
    expect(classifySmtpFailure(reply(553, '553 5.1.3 Bad destination mailbox address syntax')).kind).toBe('bounce');
  });

  it('fails any other 5xx reply at once, keeping its text', () => {
    expect(classifySmtpFailure(reply(554, '554 5.7.1 Message rejected as spam'))).toEqual({
      kind: 'permanent',
      code: 554,
      reason: '554 5.7.1 Message rejected as spam',
    });
    expect(classifySmtpFailure(reply(552, '552 5.2.2 Mailbox full')).kind).toBe('permanent');
  });

  it('does not mistake a 5.1 inside other text for a bounce', () => {
    expect(classifySmtpFailure(reply(550, '550 Policy 15.1.2 violated')).kind).toBe('permanent');
  });

  it('survives things that are not errors', () => {
    expect(classifySmtpFailure(undefined)).toEqual({ kind: 'temporary', code: null, reason: 'unknown error' });
    expect(classifySmtpFailure('boom').kind).toBe('temporary');
  });
});
