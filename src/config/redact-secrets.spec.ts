import { redactSecrets } from './redact-secrets.js';

describe(redactSecrets.name, () => {
  it.each([
    ['https://reader:s3cret@blog.example/feed/', 'https://***@blog.example/feed/'],
    ['https://token-only@blog.example/feed/', 'https://***@blog.example/feed/'],
    ['https://reader:p@ss@blog.example/feed/', 'https://***@blog.example/feed/'],
    ['https://blog.example/feed/?token=abc123&format=rss', 'https://blog.example/feed/?token=***&format=rss'],
    [
      'https://blog.example/feed?api_key=k1&X-Amz-Signature=s2#top',
      'https://blog.example/feed?api_key=***&X-Amz-Signature=***#top',
    ],
    [
      'page 2 (https://blog.example/feed?paged=2&access_token=xyz) could not be read',
      'page 2 (https://blog.example/feed?paged=2&access_token=***) could not be read',
    ],
    ['{"url":"https://u:p@h.example/f?password=pw"}', '{"url":"https://***@h.example/f?password=***"}'],
  ])('masks %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    'https://www.bhmpc.com/feed/',
    'http://127.0.0.1:8080/feed.xml?paged=2&format=rss2',
    'write to info@bhmpc.com or see https://www.bhmpc.com/contact/',
    'refused http://[::1]:80/feed.xml: ::1 is a loopback address',
  ])('leaves %s as it was', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});
