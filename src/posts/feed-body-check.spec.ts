import { checkFeedBody, rootElementName } from './feed-body-check.js';

describe(checkFeedBody.name, () => {
  const sut =
    (text: string, contentType = 'application/rss+xml') =>
    () =>
      checkFeedBody(text, contentType, Buffer.byteLength(text));

  it('accepts a well-formed feed and JSON', () => {
    expect(sut('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')).not.toThrow();
    expect(sut('{"version":"https://jsonfeed.org/version/1.1"}', 'application/feed+json')).not.toThrow();
  });

  it('names an HTML page, with or without a doctype, whatever its Content-Type', () => {
    expect(sut('<!DOCTYPE html><html><body></body></html>', 'text/html')).toThrow(
      'this is an HTML page, not a feed (Content-Type: text/html): check the feed URL',
    );
    expect(
      sut(
        '<!-- cached --><html><head><title>Blog</title></head><body><p>Hi<br></body></html>',
        'text/html; charset=utf-8',
      ),
    ).toThrow(/^this is an HTML page, not a feed/);
    expect(sut('<head><meta charset="utf-8"><title>Blog</title></head>', 'application/xml')).toThrow(
      /^this is an HTML page, not a feed/,
    );
  });

  it('says where a truncated feed stops', () => {
    const unclosed =
      '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Café</title></item></channel>';
    expect(sut(unclosed)).toThrow(
      `the feed ends early (truncated at byte ${Buffer.byteLength(unclosed)}): <rss> is never closed`,
    );
    expect(sut('<rss version="2.0"><channel><item><title>Half a ti')).toThrow(
      'the feed ends early (truncated at byte 50): <rss> is never closed',
    );
    expect(sut('<rss version="2.0"><channel><item><link href="https://x.te')).toThrow(
      'the feed ends early (truncated at byte 58): it stops in the middle of the document',
    );
  });

  it("reports other malformed XML with the parser's words and position", () => {
    expect(sut('<rss><channel><title>A & B</title></channel></rss>')).toThrow(
      /^the feed is not well-formed XML: char '&' is not expected/,
    );
  });

  it('refuses an empty answer', () => {
    expect(sut('')).toThrow('the answer is empty, not a feed');
  });
});

describe(rootElementName.name, () => {
  it('skips the declaration, comments, processing instructions and a doctype', () => {
    expect(
      rootElementName(
        '<?xml version="1.0"?>\n<!-- x -->\n<?xml-stylesheet href="a.xsl"?><!DOCTYPE rss [<!ENTITY a "b">]><rss>',
      ),
    ).toBe('rss');
    expect(rootElementName('<rdf:RDF xmlns:rdf="x">')).toBe('rdf:rdf');
    expect(rootElementName('plain text')).toBeNull();
  });
});
