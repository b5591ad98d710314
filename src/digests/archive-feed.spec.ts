import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { loadConfig } from '../config/load-config.js';
import { archiveAtom } from './archive-feed.js';
import type { ArchivedDigest } from './digest-archive.service.js';

const { company } = loadConfig({});
const site = {
  company: { ...company, shortName: 'R&D <Weekly>' },
  feedUrl: 'https://news.bhmpc.com/archive/feed.atom',
  archiveUrl: 'https://news.bhmpc.com/archive',
  faviconUrl: 'https://news.bhmpc.com/favicon.svg',
};
const TITLE = 'Q&A: <script>alert("x")</script> ]]> done \u0001';
const digest: ArchivedDigest = {
  id: 'a1',
  url: 'https://news.bhmpc.com/archive/a1',
  subject: `BHM weekly: ${TITLE}`,
  description: `${TITLE} · Second`,
  sentAt: new Date('2026-11-23T13:00:00Z'),
  intro: 'Here are the 2 posts we published between November 16 and November 23, 2026.',
  posts: [
    { title: TITLE, url: 'https://www.bhmpc.com/a?x=1&y=2', imageUrl: null, author: null, summary: 'S <b>', date: '' },
  ],
  moreCount: 0,
  blogUrl: 'https://www.bhmpc.com/blog/',
  imageUrl: null,
};

describe(archiveAtom.name, () => {
  it('writes well-formed Atom 1.0 whose text reads back exactly, markup and XML-forbidden characters included', () => {
    const xml = archiveAtom(site, [digest]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const { feed } = parsed;
    expect(feed.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(feed.title).toBe('R&D <Weekly> weekly digest');
    expect(feed.link).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rel: 'self', href: site.feedUrl }),
        expect.objectContaining({ rel: 'alternate', href: site.archiveUrl }),
      ]),
    );
    const entry = feed.entry;
    expect(entry.id).toBe(digest.url);
    expect(entry.updated).toBe('2026-11-23T13:00:00.000Z');
    // type="html": the text, escaped once as HTML, so a reader shows it and runs nothing.
    expect(entry.title['#text']).toBe(
      'BHM weekly: Q&amp;A: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; done ',
    );
    expect(entry.content['#text']).toContain('<a href="https://www.bhmpc.com/a?x=1&amp;y=2">Q&amp;A: &lt;script&gt;');
    expect(xml).not.toContain('<script>');
  });

  it('is still a valid feed with no digest yet', () => {
    const xml = archiveAtom(site, []);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(new XMLParser().parse(xml).feed.updated).toBe('1970-01-01T00:00:00.000Z');
  });
});
