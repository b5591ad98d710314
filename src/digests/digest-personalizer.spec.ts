import { DIGEST_PLACEHOLDERS } from './digest-placeholders.js';
import { escapeHtml } from '../rendering/placeholders.js';
import { DigestPersonalizer } from './digest-personalizer.js';

const MARK = DIGEST_PLACEHOLDERS.unsubscribeUrl;
const MANAGE = DIGEST_PLACEHOLDERS.manageUrl;
const manageUrl = 'https://news.example.com/manage/abc';

describe(DigestPersonalizer.name, () => {
  const html = `<p>Hi</p><a href="${MARK}">Unsubscribe</a><p>again: <a href="${MARK}">here</a></p>`;
  const text = `Hi\nUnsubscribe: ${MARK}\n`;
  const withManage = { html: `${html}<a href="${MANAGE}">Manage</a>`, text: `${text}Manage: ${MANAGE}\n` };

  it('fills every placeholder in both parts, escaping only the HTML part', () => {
    const sut = new DigestPersonalizer(html, text);
    const url = 'https://news.example.com/unsubscribe/abc?x=1&y="2"';
    const out = sut.forSubscriber({ unsubscribeUrl: url, manageUrl });
    expect(out.html).toBe(
      '<p>Hi</p><a href="https://news.example.com/unsubscribe/abc?x=1&amp;y=&quot;2&quot;">Unsubscribe</a><p>again: <a href="https://news.example.com/unsubscribe/abc?x=1&amp;y=&quot;2&quot;">here</a></p>',
    );
    expect(out.text).toBe(`Hi\nUnsubscribe: ${url}\n`);
    expect(out.html).not.toContain('tidings.invalid');
  });

  it('fills the manage link beside the unsubscribe link', () => {
    const out = new DigestPersonalizer(withManage.html, withManage.text).forSubscriber({
      unsubscribeUrl: 'https://x.test/u/a',
      manageUrl,
    });
    expect(out.html).toContain(`<a href="${manageUrl}">Manage</a>`);
    expect(out.text).toBe(`Hi\nUnsubscribe: https://x.test/u/a\nManage: ${manageUrl}\n`);
    expect(out.html + out.text).not.toContain('tidings.invalid');
  });

  it('gives each subscriber their own link and leaves the digest it was built from untouched', () => {
    const sut = new DigestPersonalizer(html, text);
    const a = sut.forSubscriber({ unsubscribeUrl: 'https://x.test/u/a', manageUrl });
    const b = sut.forSubscriber({ unsubscribeUrl: 'https://x.test/u/b', manageUrl });
    expect(a.html).toContain('https://x.test/u/a');
    expect(a.html).not.toContain('https://x.test/u/b');
    expect(b.text).toContain('https://x.test/u/b');
  });

  it('counts the placeholders of each part, and copes with none', () => {
    expect(new DigestPersonalizer(html, text).count('unsubscribeUrl')).toEqual({ html: 2, text: 1 });
    const sut = new DigestPersonalizer('<p>nothing</p>', 'nothing');
    expect(sut.count('unsubscribeUrl')).toEqual({ html: 0, text: 0 });
    expect(sut.forSubscriber({ unsubscribeUrl: 'https://x.test/', manageUrl })).toEqual({
      html: '<p>nothing</p>',
      text: 'nothing',
    });
  });

  it('handles placeholders at the very start and end, and side by side', () => {
    const sut = new DigestPersonalizer(`${MARK}${MARK}`, `${MARK}`);
    expect(sut.forSubscriber({ unsubscribeUrl: 'U', manageUrl })).toEqual({ html: 'UU', text: 'U' });
  });

  it('escapes the five HTML-significant characters and returns clean values as they are', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const clean = 'https://news.example.com/unsubscribe/AbC-_09';
    expect(escapeHtml(clean)).toBe(clean);
  });
});
