import { imagesInHtml, rankImages } from './post-image.js';

describe(imagesInHtml.name, () => {
  const sut = imagesInHtml;
  const base = 'https://www.bhmpc.com/2025/10/post/';

  it('lists the images of the content in order', () => {
    expect(
      sut(
        '<p>Intro</p><p><img src="https://www.bhmpc.com/a.jpg" alt=""><img src="https://www.bhmpc.com/b.jpg"></p>',
        base,
      ),
    ).toEqual(['https://www.bhmpc.com/a.jpg', 'https://www.bhmpc.com/b.jpg']);
  });

  it('resolves a relative source against the base and decodes entities', () => {
    expect(
      sut('<IMG SRC="/wp-content/uploads/c.png"><img src="https://www.bhmpc.com/i.php?a=1&amp;b=2">', base),
    ).toEqual(['https://www.bhmpc.com/wp-content/uploads/c.png', 'https://www.bhmpc.com/i.php?a=1&b=2']);
  });

  it('passes over tracking pixels, share buttons, feed badges, emoji and unsafe sources', () => {
    const html = [
      '<img src="https://stats.example.com/p.gif" width="1" height="1">',
      '<a href="https://www.facebook.com/sharer.php"><img src="https://www.bhmpc.com/images/share-facebook.gif"></a>',
      '<img src="https://www.bhmpc.com/wp-content/plugins/sociable/images/twitter.png">',
      '<img src="https://feeds.feedburner.com/~ff/bhm?d=yIl2AUoC8zA">',
      '<img src="https://s.w.org/images/core/emoji/15.0.3/72x72/1f642.png">',
      '<img src="https://www.bhmpc.com/badge.png" width="88" height="31">',
      '<img src="https://www.bhmpc.com/wp-content/uploads/2025/10/thumb-150x90.jpg">',
      '<img src="javascript:alert(1)"><img src="data:image/png;base64,AA">',
      '<img src="https://www.bhmpc.com/real.jpg">',
    ].join('');
    expect(sut(html, base)).toEqual(['https://www.bhmpc.com/real.jpg']);
  });

  it('takes the best rendition of a srcset', () => {
    const html =
      '<img src="/u/p-300x200.jpg" srcset="/u/p-300x200.jpg 300w, /u/p-1024x683.jpg 1024w, /u/p.jpg 2560w" width="300" height="200">';
    expect(sut(html, base)).toEqual(['https://www.bhmpc.com/u/p-1024x683.jpg']);
  });

  it('answers nothing without an image', () => {
    expect(sut('<p>No picture</p>', base)).toEqual([]);
    expect(sut(undefined, base)).toEqual([]);
  });
});

describe(rankImages.name, () => {
  const sut = rankImages;

  it('prefers the largest rendition up to about 1,200 px', () => {
    const renditions = [
      { url: 'https://x.test/140.jpg', width: 140, medium: 'image' },
      { url: 'https://x.test/2400.jpg', width: 2400 },
      { url: 'https://x.test/1024.jpg', width: 1024 },
      { url: 'https://x.test/640.jpg', width: 640 },
    ];
    expect(sut(renditions)).toEqual([
      'https://x.test/1024.jpg',
      'https://x.test/640.jpg',
      'https://x.test/2400.jpg',
      'https://x.test/140.jpg',
    ]);
  });

  it('skips audio, video, tiny and non-http candidates, and counts an untyped one as an image', () => {
    expect(
      sut([
        { url: 'https://x.test/a.mp3', type: 'audio/mpeg' },
        { url: 'https://x.test/v.mp4', medium: 'video' },
        { url: 'data:image/png;base64,AA', type: 'image/png' },
        { url: undefined },
        { url: 'https://x.test/i.png', width: 48, height: 48 },
        { url: 'https://x.test/d.png' },
      ]),
    ).toEqual(['https://x.test/d.png']);
  });
});
