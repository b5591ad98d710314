import { checkReaderName } from './reader-name.js';

describe('checkReaderName', () => {
  it.each([
    ['line break', 'Jane\r\nBcc: x@example.com', /line breaks/],
    ['a link', 'Win big at https://spam.example', /links/],
    ['www link', 'visit www.spam.example', /links/],
    ['markup', '<b>Jane</b>', /angle brackets/],
    ['over 100 characters', 'J'.repeat(101), /too long/],
    ['not a string', 7, /must be a string/],
  ])('refuses %s', (_kind, input, reason) => {
    const result = checkReaderName(input);
    expect(result.ok).toBe(false);
    expect((result as { problem: string }).problem).toMatch(reason);
  });

  it('trims, folds spaces, and treats blank as no name', () => {
    expect(checkReaderName('  Jane   Doe ')).toEqual({ ok: true, name: 'Jane Doe' });
    expect(checkReaderName('   ')).toEqual({ ok: true, name: null });
    expect(checkReaderName(undefined)).toEqual({ ok: true, name: null });
  });
});
