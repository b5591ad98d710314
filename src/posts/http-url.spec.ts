import { toHttpUrl } from './http-url.js';

describe(toHttpUrl.name, () => {
  const sut = toHttpUrl;

  it('keeps http and https URLs', () => {
    expect(sut('https://www.bhmpc.com/2025/11/post/')).toBe('https://www.bhmpc.com/2025/11/post/');
    expect(sut(' http://www.bhmpc.com/a?b=1#c ')).toBe('http://www.bhmpc.com/a?b=1#c');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:x',
    'mailto:info@bhmpc.com',
    'file:///etc/passwd',
    'ftp://x/y',
  ])('drops %s', (raw) => {
    expect(sut(raw)).toBeNull();
  });

  it('resolves relative and protocol-relative URLs against the base', () => {
    expect(sut('/wp-content/a.png', 'https://www.bhmpc.com/2025/11/post/')).toBe(
      'https://www.bhmpc.com/wp-content/a.png',
    );
    expect(sut('//cdn.bhmpc.com/a.png', 'https://www.bhmpc.com/')).toBe('https://cdn.bhmpc.com/a.png');
  });

  it('does not let a base turn javascript: into http', () => {
    expect(sut('javascript:alert(1)', 'https://www.bhmpc.com/')).toBeNull();
  });

  it('drops credentials', () => {
    expect(sut('https://user:secret@www.bhmpc.com/feed/')).toBe('https://www.bhmpc.com/feed/');
  });

  it('drops what is not a URL, empty or too long', () => {
    expect(sut('not a url')).toBeNull();
    expect(sut('')).toBeNull();
    expect(sut(undefined)).toBeNull();
    expect(sut(42)).toBeNull();
    expect(sut(`https://www.bhmpc.com/${'a'.repeat(2000)}`)).toBeNull();
  });
});
