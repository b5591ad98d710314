import { checkSubscriberName } from './subscriber-name.js';

describe('checkSubscriberName', () => {
  it.each([
    ['line break', 'Jane\r\nBcc: x@example.com', /line breaks/],
    ['a link', 'Win big at https://spam.example', /links/],
    ['www link', 'visit www.spam.example', /links/],
    ['markup', '<b>Jane</b>', /angle brackets/],
    ['over 100 characters', 'J'.repeat(101), /too long/],
    ['not a string', 7, /must be a string/],
  ])('refuses %s', (_kind, input, reason) => {
    const result = checkSubscriberName(input);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(reason);
  });

  it('trims, folds spaces, and treats blank as no name', () => {
    expect(checkSubscriberName('  Jane   Doe ')).toEqual({ ok: true, name: 'Jane Doe' });
    expect(checkSubscriberName('   ')).toEqual({ ok: true, name: null });
    expect(checkSubscriberName(undefined)).toEqual({ ok: true, name: null });
  });
});
