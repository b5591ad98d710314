import { checkDigestForDelivery, GMAIL_CLIP_BYTES } from './digest-delivery-check.js';
import { DIGEST_PLACEHOLDERS } from './digest-placeholders.js';

const UNSUBSCRIBE = DIGEST_PLACEHOLDERS.unsubscribeUrl;
const goodHtml = (body = '') =>
  `<html><body><img src="https://cdn.example.com/logo.png" alt="BHM Healthcare Solutions">${body}` +
  `<a href="https://www.bhmpc.com/blog/post">Read more</a> <a href="mailto:info@bhmpc.com">Email</a> <a href="tel:1-888-831-1171">Call</a>` +
  `<a name="top"></a><a href="${UNSUBSCRIBE}">Unsubscribe</a></body></html>`;
const good = {
  subject: 'BHM Healthcare weekly: A title and 3 more',
  html: goodHtml(),
  text: `A title\nUnsubscribe: ${UNSUBSCRIBE}\n`,
};

describe('checkDigestForDelivery', () => {
  it('passes a digest with http(s) links, footer mailto: and tel:, alt texts and both unsubscribe placeholders', () => {
    expect(checkDigestForDelivery(good)).toEqual([]);
  });

  it('refuses HTML over 102 KB, since Gmail would clip the footer and unsubscribe link', () => {
    const padding = `<p>${'x'.repeat(GMAIL_CLIP_BYTES)}</p>`;
    const [problem, ...rest] = checkDigestForDelivery({ ...good, html: goodHtml(padding) });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^the HTML part is 102\.\d KB; Gmail clips mail over 102 KB/);
  });

  it('counts bytes, not characters: multi-byte text can push it over', () => {
    const accents = `<p>${'é'.repeat(GMAIL_CLIP_BYTES / 2 + 10)}</p>`;
    expect(checkDigestForDelivery({ ...good, html: goodHtml(accents) })).toEqual([
      expect.stringContaining('Gmail clips'),
    ]);
  });

  it('refuses a digest without the unsubscribe placeholder, in either part', () => {
    expect(checkDigestForDelivery({ ...good, html: good.html.replace(UNSUBSCRIBE, 'https://www.bhmpc.com/') })).toEqual(
      ['the HTML part has no unsubscribe link placeholder'],
    );
    expect(checkDigestForDelivery({ ...good, text: 'A title\n' })).toEqual([
      'the plain-text part has no unsubscribe link placeholder',
    ]);
  });

  it('refuses a digest without a plain-text part', () => {
    expect(checkDigestForDelivery({ ...good, text: null })).toEqual(['the plain-text part is missing']);
    expect(checkDigestForDelivery({ ...good, text: ' \n ' })).toEqual(['the plain-text part is missing']);
  });

  it('refuses a missing HTML part or subject, or a subject with a line break', () => {
    expect(checkDigestForDelivery({ ...good, html: null })).toEqual(['the HTML part is missing']);
    expect(checkDigestForDelivery({ ...good, subject: '  ' })).toEqual(['the subject is empty']);
    expect(checkDigestForDelivery({ ...good, subject: 'Hi\r\nBcc: x@example.com' })).toEqual([
      'the subject contains a line break',
    ]);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD4='],
    ['a relative link', '/blog/post'],
    ['an empty link', ''],
    ['a fragment', '#top'],
    ['ftp:', 'ftp://files.example.com/x'],
    ['an entity-encoded javascript:', 'jav&#x61;script:alert(1)'],
  ])('refuses a link that is %s', (_kind, href) => {
    const problems = checkDigestForDelivery({ ...good, html: goodHtml(`<a href="${href}">bad</a>`) });
    expect(problems).toEqual([expect.stringMatching(/^1 link\(s\) are not http\(s\), mailto: or tel:/)]);
  });

  it('passes a decorative image (alt="") outside a link', () => {
    expect(
      checkDigestForDelivery({ ...good, html: goodHtml('<img src="https://cdn.example.com/a.png" alt="">') }),
    ).toEqual([]);
  });

  it('refuses an image without alt text, with only spaces as alt text, or with an empty one as a link', () => {
    for (const img of [
      '<img src="https://cdn.example.com/a.png">',
      '<img src="https://cdn.example.com/a.png" alt="  ">',
      '<a href="https://www.bhmpc.com/a"><img src="https://cdn.example.com/a.png" alt=""></a>',
    ]) {
      expect(checkDigestForDelivery({ ...good, html: goodHtml(img) })).toEqual([
        '1 image(s) have no alt text: https://cdn.example.com/a.png',
      ]);
    }
  });

  it('refuses an image that is not an http(s) URL', () => {
    const problems = checkDigestForDelivery({
      ...good,
      html: goodHtml('<img src="data:image/png;base64,AAAA" alt="x">'),
    });
    expect(problems).toEqual(['1 image(s) are not http(s) URLs: data:image/png;base64,AAAA']);
  });

  it('lists every problem at once, and only the first few offenders of each kind', () => {
    const many = Array.from({ length: 5 }, (_, i) => `<a href="javascript:void(${i})">x</a>`).join('');
    const problems = checkDigestForDelivery({ subject: '', html: goodHtml(many).replace(UNSUBSCRIBE, ''), text: null });
    expect(problems).toEqual([
      'the subject is empty',
      'the plain-text part is missing',
      'the HTML part has no unsubscribe link placeholder',
      expect.stringMatching(
        /^6 link\(s\) .*javascript:void\(0\), javascript:void\(1\), javascript:void\(2\) and 3 more$/,
      ),
    ]);
  });
});
