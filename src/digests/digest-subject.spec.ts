import { compileSubjectTemplate, SUBJECT_MAX_CHARS } from './digest-subject.js';

const DEFAULT_TEMPLATE = '{{shortName}} weekly: {{firstTitle}}{{#if moreCount}} and {{moreCount}} more{{/if}}';

describe('compileSubjectTemplate', () => {
  const sut = compileSubjectTemplate(DEFAULT_TEMPLATE);

  it('gives "BHM Healthcare weekly: <first title> and 3 more" with the default template', () => {
    expect(
      sut({ shortName: 'BHM Healthcare', firstTitle: 'Prior Authorization in 2026', moreCount: 3, postCount: 4 }),
    ).toBe('BHM Healthcare weekly: Prior Authorization in 2026 and 3 more');
    expect(sut({ shortName: 'BHM Healthcare', firstTitle: 'Only one', moreCount: 0, postCount: 1 })).toBe(
      'BHM Healthcare weekly: Only one',
    );
  });

  it('never lets a title add a header line, and does not HTML-escape', () => {
    const subject = sut({
      shortName: 'BHM',
      firstTitle: 'Q&A: "Denials" <2026>\r\nBcc: everyone@example.com',
      moreCount: 0,
      postCount: 1,
    });
    expect(subject).toBe('BHM weekly: Q&A: "Denials" <2026> Bcc: everyone@example.com');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('trims a long subject to a sane length at a word boundary', () => {
    const subject = sut({ shortName: 'BHM', firstTitle: 'word '.repeat(100), moreCount: 9, postCount: 10 });
    expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject).toMatch(/word…$/);
  });

  it('falls back to a plain subject when the template renders nothing', () => {
    expect(
      compileSubjectTemplate('{{firstTitle}}')({ shortName: 'BHM', firstTitle: '  ', moreCount: 0, postCount: 1 }),
    ).toBe('BHM weekly digest');
  });

  it('fails at once on a template that does not compile', () => {
    expect(() => compileSubjectTemplate('{{#if moreCount}}unclosed')).toThrow();
  });
});
