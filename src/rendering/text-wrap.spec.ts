import { wrapText } from './text-wrap.js';

describe(wrapText.name, () => {
  it('wraps long lines at word boundaries within 78 characters, counting characters, not UTF-16 units', () => {
    const line =
      'Prior authorization — what changes for providers and payers in 2027 🩺 and how to prepare your team this quarter';
    const sut = wrapText(line);
    const lines = sut.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => Array.from(l).length <= 78)).toBe(true);
    expect(lines.join(' ')).toBe(line);
  });

  it('never breaks a URL: a word longer than the line stands alone, whole', () => {
    const url = `https://www.bhmpc.com/blog/${'a-very-long-article-slug-'.repeat(4)}?utm_source=x&utm_medium=y`;
    expect(wrapText(`Read more: ${url} today`)).toBe(`Read more:\n${url}\ntoday`);
  });

  it('leaves short lines, blank lines and the signature delimiter exactly as they are', () => {
    const text = 'Hello\n\n-- \nBHM Healthcare Solutions\n';
    expect(wrapText(text)).toBe(text);
  });
});
