import { articleKey, stripTracking } from './canonical-url.js';

describe(stripTracking.name, () => {
  it('drops campaign and click-id parameters and the fragment, keeping the rest', () => {
    expect(stripTracking('https://www.bhmpc.com/post/?utm_source=a&utm_campaign=b&p=1&fbclid=x#more')).toBe(
      'https://www.bhmpc.com/post/?p=1',
    );
    expect(stripTracking('https://www.bhmpc.com/post/?utm_medium=rss')).toBe('https://www.bhmpc.com/post/');
  });
});

describe(articleKey.name, () => {
  it('matches two links to one article whatever their scheme, www., trailing slash, query order or tracking', () => {
    expect(articleKey('http://bhmpc.com/post?b=2&a=1&utm_source=x')).toBe(
      articleKey('https://www.bhmpc.com/post/?a=1&b=2'),
    );
    expect(articleKey('https://www.bhmpc.com/post/')).not.toBe(articleKey('https://www.bhmpc.com/other/'));
  });
});
