import { cleanPlainText, htmlToPlainText, truncateText } from './plain-text.js';

describe(htmlToPlainText.name, () => {
  const sut = htmlToPlainText;

  it('drops tags and keeps their text', () => {
    expect(sut('<p>Independent <strong>peer review</strong> protects <a href="https://x">patients</a>.</p>')).toBe(
      'Independent peer review protects patients.',
    );
  });

  it('drops script, style and iframe together with their content', () => {
    expect(sut('<script>alert(1)</script><style>p{color:red}</style><iframe src="x">frame</iframe>Safe')).toBe('Safe');
  });

  it('decodes named, decimal and hex entities', () => {
    expect(sut('Caf&eacute; &amp; co &#8211; it&#8217;s &#x201C;fine&#x201D;&nbsp;[&#8230;]')).toBe(
      'Café & co – it’s “fine” […]',
    );
  });

  it('decodes an escaped tag to its text, then drops it as a tag', () => {
    // What an RSS title with &lt;script&gt; becomes once the XML parser has unescaped it once.
    expect(sut('<script>alert("x")</script>Q&amp;A: <b>owners</b>')).toBe('Q&A: owners');
  });

  it('decodes text escaped twice once more, since it is still markup after one decoding', () => {
    // What `&amp;lt;p&amp;gt;` in a feed becomes once the XML parser has unescaped it once.
    expect(sut('&lt;p&gt;Prior authorization &amp;amp; &lt;strong&gt;peer review&lt;/strong&gt;&lt;/p&gt;')).toBe(
      'Prior authorization & peer review',
    );
  });

  it('puts everything on one line and trims it', () => {
    expect(sut('  <h2>Why</h2>\n<ul><li>One</li><li>Two</li></ul>\n\n<p>End</p>  ')).toBe('Why One Two End');
  });

  it('leaves plain text that merely contains < and > readable', () => {
    expect(sut('Margins &lt; 2% &gt; none')).toBe('Margins < 2% > none');
  });

  it('removes control characters PostgreSQL or a mail would choke on', () => {
    expect(sut('A\u0000B\u0007C')).toBe('ABC');
  });

  it('answers an empty string for nothing', () => {
    expect(sut(undefined)).toBe('');
    expect(sut(null)).toBe('');
    expect(sut('<img src="x.png">')).toBe('');
  });
});

describe(cleanPlainText.name, () => {
  it('keeps typed text as typed, on one line', () => {
    expect(cleanPlainText('  Q&A: <b> is kept\n\tas text ')).toBe('Q&A: <b> is kept as text');
  });
});

describe(truncateText.name, () => {
  const sut = truncateText;

  it('keeps text that fits', () => {
    expect(sut('short', 5)).toBe('short');
  });

  it('cuts at a word boundary and marks the cut', () => {
    expect(sut('healthcare management consulting firm', 26)).toBe('healthcare management…');
    expect(Array.from(sut('word '.repeat(100), 50)).length).toBeLessThanOrEqual(50);
  });

  it('cuts inside a word when no boundary is near', () => {
    expect(sut('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('counts characters, not UTF-16 units, so an emoji is never split', () => {
    expect(sut('😀😀😀😀', 3)).toBe('😀😀…');
  });
});
