import { firstImageInHtml, pickImage } from './post-image.js';

describe(firstImageInHtml.name, () => {
  const sut = firstImageInHtml;
  const base = 'https://www.bhmpc.com/2025/10/post/';

  it('finds the first image of the content', () => {
    expect(sut('<p>Intro</p><p><img src="https://www.bhmpc.com/a.jpg" alt=""><img src="https://www.bhmpc.com/b.jpg"></p>', base)).toBe('https://www.bhmpc.com/a.jpg');
  });

  it('resolves a relative source against the post', () => {
    expect(sut('<IMG SRC="/wp-content/uploads/c.png">', base)).toBe('https://www.bhmpc.com/wp-content/uploads/c.png');
  });

  it('decodes entities in the source', () => {
    expect(sut('<img src="https://www.bhmpc.com/i.php?a=1&amp;b=2">', base)).toBe('https://www.bhmpc.com/i.php?a=1&b=2');
  });

  it('passes over tracking pixels and unsafe sources', () => {
    expect(sut('<img src="https://stats.example.com/p.gif" width="1" height="1"><img src="javascript:alert(1)"><img src="data:image/png;base64,AA"><img src="https://www.bhmpc.com/real.jpg">', base)).toBe(
      'https://www.bhmpc.com/real.jpg',
    );
  });

  it('answers null without an image', () => {
    expect(sut('<p>No picture</p>', base)).toBeNull();
    expect(sut(undefined, base)).toBeNull();
  });
});

describe(pickImage.name, () => {
  const sut = pickImage;

  it('takes the first image candidate', () => {
    expect(sut([{ url: 'https://x.test/a.mp3', type: 'audio/mpeg' }, { url: 'https://x.test/b.jpg', type: 'image/jpeg' }, { url: 'https://x.test/c.jpg', medium: 'image' }])).toBe('https://x.test/b.jpg');
  });

  it('counts a candidate without a type as an image', () => {
    expect(sut([{ url: 'https://x.test/d.png' }])).toBe('https://x.test/d.png');
  });

  it('skips video and non-http candidates', () => {
    expect(sut([{ url: 'https://x.test/v.mp4', medium: 'video' }, { url: 'data:image/png;base64,AA', type: 'image/png' }, { url: undefined }])).toBeNull();
  });
});
