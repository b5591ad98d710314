import type { FeedSource } from '../posts/feeds.service.js';
import { type CandidatePost, coverageNotes, selectDigestPosts } from './digest-selection.js';

const feed = (id: string, overrides: Partial<FeedSource> = {}): FeedSource => ({
  id,
  url: `https://www.bhmpc.com/${id}/feed/`,
  active: true,
  position: 0,
  enabled: true,
  coveredSince: new Date(0),
  lastSuccessAt: new Date('2025-11-10T12:00:00Z'),
  failing: null,
  ...overrides,
});

let next = 0;
const post = (overrides: Partial<CandidatePost>): CandidatePost => {
  next += 1;
  return {
    id: `post-${next}`,
    url: `https://www.bhmpc.com/post-${next}/`,
    title: `Post ${next}`,
    summary: '',
    imageUrl: null,
    author: null,
    publishedAt: new Date('2025-11-05T10:00:00Z'),
    feedId: 'main',
    guid: `guid-${next}`,
    undated: false,
    arrival: 'head',
    priorReadAt: new Date('2025-11-05T09:00:00Z'),
    firstSeenAt: new Date('2025-11-05T10:30:00Z'),
    ...overrides,
  };
};

describe(selectDigestPosts.name, () => {
  const sut = selectDigestPosts;
  const feeds = [
    feed('main'),
    feed('category', { position: 1 }),
    feed('old', { active: false, position: -1 }),
    feed('paused', { active: false, enabled: false, position: 2 }),
  ];

  it('keeps manual posts and the news of active feeds, newest first', () => {
    const manual = post({
      feedId: null,
      arrival: null,
      priorReadAt: null,
      publishedAt: new Date('2025-11-06T10:00:00Z'),
    });
    const news = post({});
    expect(sut([news, manual], feeds).posts.map((kept) => kept.id)).toEqual([manual.id, news.id]);
  });

  it('leaves out the posts of removed and disabled feeds with one note per feed', () => {
    const { posts, notes } = sut([post({ feedId: 'old' }), post({ feedId: 'old' }), post({ feedId: 'paused' })], feeds);
    expect(posts).toEqual([]);
    expect(notes.map((note) => note.message).sort()).toEqual([
      '1 post(s) left out: its feed https://www.bhmpc.com/paused/feed/ is disabled (they stay in the archive)',
      '2 post(s) left out: its feed https://www.bhmpc.com/old/feed/ is no longer in FEED_URLS (they stay in the archive)',
    ]);
  });

  it('leaves out undated posts of a first read or an older page, but not of the head of a known feed', () => {
    const baseline = post({ undated: true, arrival: 'baseline', priorReadAt: null });
    const backfill = post({ undated: true, arrival: 'backfill' });
    const head = post({ undated: true, arrival: 'head' });
    const { posts, notes } = sut([baseline, backfill, head], feeds);
    expect(posts.map((kept) => kept.id)).toEqual([head.id]);
    expect(notes.map((note) => note.postId)).toEqual([baseline.id, backfill.id]);
  });

  it('leaves out a post dated days before its feed was last read, unless it came with the first read or an older page', () => {
    const old = {
      publishedAt: new Date('2025-11-01T10:00:00Z'),
      priorReadAt: new Date('2025-11-05T09:00:00Z'),
      firstSeenAt: new Date('2025-11-05T10:00:00Z'),
    };
    const republished = post({ ...old, title: 'Throwback' });
    const baseline = post({ ...old, arrival: 'baseline', priorReadAt: null });
    const backfill = post({ ...old, arrival: 'backfill' });
    const late = post({ ...old, publishedAt: new Date('2025-11-03T10:00:00Z') });
    const { posts, notes } = sut([republished, baseline, backfill, late], feeds);
    expect(posts.map((kept) => kept.id).sort()).toEqual([baseline.id, backfill.id, late.id].sort());
    expect(notes).toEqual([
      {
        kind: 'left-out',
        postId: republished.id,
        feedId: 'main',
        message:
          '"Throwback" left out: dated 2025-11-01 but first seen in its feed on 2025-11-05, 4 days later: a republished archive, not new',
      },
    ]);
  });

  it("keeps one copy of an article offered by two feeds, the first configured feed's, matching by link or by guid", () => {
    const fromCategory = post({ feedId: 'category', url: 'http://bhmpc.com/a?utm_source=rss', guid: 'cat-1' });
    const fromMain = post({ feedId: 'main', url: 'https://www.bhmpc.com/a/', guid: 'https://www.bhmpc.com/?p=1' });
    const sameGuid = post({
      feedId: 'category',
      url: 'https://www.bhmpc.com/a/amp/',
      guid: 'https://www.bhmpc.com/?p=1',
    });
    const local = post({ feedId: 'category', url: 'https://www.bhmpc.com/b/', guid: 'guid-x' });
    const localTwin = post({ feedId: 'main', url: 'https://www.bhmpc.com/c/', guid: 'guid-x' });
    const { posts } = sut([fromCategory, sameGuid, fromMain, local, localTwin], feeds);
    // A guid like "guid-x" names nothing outside its feed: two feeds may both have one.
    expect(posts.map((kept) => kept.id)).toEqual([fromMain.id, localTwin.id, local.id]);
  });
});

describe(coverageNotes.name, () => {
  const period = { start: new Date('2025-11-03T13:00:00Z'), end: new Date('2025-11-10T13:00:00Z') };

  it('notes a failing feed, a feed never read and a feed read back to a date inside the period', () => {
    const notes = coverageNotes(
      [
        feed('ok', { coveredSince: new Date('2025-11-01T00:00:00Z') }),
        feed('failing', { failing: 'answered HTTP 500' }),
        feed('never', { coveredSince: null, lastSuccessAt: null }),
        feed('short', { coveredSince: new Date('2025-11-05T00:00:00Z') }),
        feed('off', { active: false, coveredSince: null }),
      ],
      period,
      5,
    );
    expect(notes.map((note) => note.feedId)).toEqual(['failing', 'never', 'short']);
    expect(notes[2].message).toBe(
      'the period may be incomplete: feed https://www.bhmpc.com/short/feed/ was read back to 2025-11-05T00:00:00.000Z only (FEED_MAX_PAGES=5); posts published before then may be missing',
    );
  });
});
