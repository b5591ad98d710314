import { FeedServer, feedFixture, feedFixtureBytes, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';
import { dryRun, pollFeeds, type PollResult } from './support/week.js';

const TOKEN = 'e'.repeat(40);
const FEEDS = {
  doubleEscaped: '/policy/feed/',
  shareButtons: '/cm/feed/',
  renditions: '/bh/feed/',
  utf16: '/sp/feed/',
  xmlBase: '/insights/feed.atom',
};

/**
 * One week from feeds whose content is awkward: text escaped twice, share buttons and tracking
 * images around the real picture, pictures in several sizes, a UTF-16 feed with a byte order
 * mark served without a charset, and relative links under xml:base.
 */
describe('a week of posts from feeds with awkward content', () => {
  let feeds: FeedServer;
  let app: TestApp;
  let polled: PollResult[];

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds
      .serve(FEEDS.doubleEscaped, feedResponse(feedFixture('week/double-escaped.rss.xml')))
      .serve(FEEDS.shareButtons, feedResponse(feedFixture('week/share-buttons.rss.xml')))
      .serve(FEEDS.renditions, feedResponse(feedFixture('week/renditions.rss.xml')))
      // No charset in the header: only the byte order mark says UTF-16.
      .serve(
        FEEDS.utf16,
        feedResponse(feedFixtureBytes('week/utf16-bom.rss.xml'), { contentType: 'application/rss+xml' }),
      )
      .serve(
        FEEDS.xmlBase,
        feedResponse(feedFixture('week/xml-base.atom.xml'), { contentType: 'application/atom+xml' }),
      );
    app = await TestApp.start({
      env: {
        ADMIN_TOKENS: TOKEN,
        DIGEST_MAX_POSTS: '50',
        FEED_URLS: Object.values(FEEDS)
          .map((path) => feeds.url(path))
          .join(','),
      },
    });
    polled = await pollFeeds(app, TOKEN);
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  it('reads every feed, the UTF-16 one included', () => {
    expect(polled.map((result) => [result.url, result.outcome, result.error])).toEqual(
      Object.values(FEEDS).map((path) => [feeds.url(path), 'read', null]),
    );
    expect(polled.find((result) => result.url === feeds.url(FEEDS.utf16))!.created).toBe(2);
  });

  it("shows exactly the week's posts, in order, each with its best picture or none", async () => {
    const run = await dryRun(app, TOKEN);
    expect(run.problems).toEqual([]);
    expect(run.notes.filter((note) => note.kind !== 'incomplete')).toEqual([]);
    expect(run.posts.map((post) => [post.title, post.url, post.imageUrl])).toEqual([
      ['Ética médica e auditoria', 'https://sp.bhmpc.com/etica-medica-auditoria/', null],
      // Relative links resolved against xml:base (feed, entry, content), not against the feed's own address.
      [
        'Value-based care contracts',
        'https://www.bhmpc.com/insights/2025/11/value-based-care/',
        'https://www.bhmpc.com/media/vbc-chart.png',
      ],
      // The banner on every item, the share buttons and the tracking pixel are passed over.
      [
        'Accreditation survey readiness',
        'https://cm.bhmpc.com/accreditation-survey-readiness/',
        'https://cm.bhmpc.com/uploads/accreditation-survey.jpg',
      ],
      ['Why we joined the payer roundtable', 'https://cm.bhmpc.com/payer-roundtable/', null],
      [
        'Gestão de riscos em São Paulo — 2025',
        'https://sp.bhmpc.com/gestao-de-riscos/',
        'https://sp.bhmpc.com/imagens/gestao-de-riscos.jpg',
      ],
      [
        'Case management metrics that matter',
        'https://cm.bhmpc.com/case-management-metrics/',
        'https://cm.bhmpc.com/uploads/case-management-1024x576.jpg',
      ],
      ['Q&A: Prior authorization reform', 'https://policy.bhmpc.com/prior-authorization-reform-qa/', null],
      // Of several renditions, the largest up to about 1,200 px.
      [
        'Hospital at home programs',
        'https://bh.bhmpc.com/hospital-at-home/',
        'https://bh.bhmpc.com/img/hospital-at-home-1600.jpg',
      ],
      [
        'Medical necessity criteria explained',
        'https://bh.bhmpc.com/medical-necessity-criteria/',
        'https://bh.bhmpc.com/img/criteria-original.jpg',
      ],
      [
        'Behavioral health parity: the final rule',
        'https://bh.bhmpc.com/parity-final-rule/',
        'https://bh.bhmpc.com/img/parity-1024.jpg',
      ],
      ['Physician advisor FAQ', 'https://www.bhmpc.com/faq/physician-advisor/', null],
    ]);
  });

  it('mails only the chosen pictures, never a share button or a tracking image', async () => {
    const { html } = await dryRun(app, TOKEN);
    const images = [...html!.matchAll(/<img[^>]+src="([^"]+)"/g)].map((match) => match[1]);
    expect(images).toEqual([
      'https://www.bhmpc.com/media/vbc-chart.png',
      'https://cm.bhmpc.com/uploads/accreditation-survey.jpg',
      'https://sp.bhmpc.com/imagens/gestao-de-riscos.jpg',
      'https://cm.bhmpc.com/uploads/case-management-1024x576.jpg',
      'https://bh.bhmpc.com/img/hospital-at-home-1600.jpg',
      'https://bh.bhmpc.com/img/criteria-original.jpg',
      'https://bh.bhmpc.com/img/parity-1024.jpg',
    ]);
  });

  it('decodes text escaped twice into plain words, in the mail as in the archive', async () => {
    const run = await dryRun(app, TOKEN);
    expect(run.text).toContain('Q&A: Prior authorization reform');
    expect(run.text).toContain('CMS finalized the rule — here is what changes for payers.');
    for (const part of [run.html!, run.text!]) {
      expect(part).not.toMatch(/&lt;(p|em|strong)&gt;|<p>CMS|&amp;mdash;|&amp;lt;/);
    }
  });

  it('keeps the UTF-16 text intact', async () => {
    const run = await dryRun(app, TOKEN);
    expect(run.text).toContain('Gestão de riscos em São Paulo — 2025');
    expect(run.text).toContain('Sigilo, consentimento e revisão por pares.');
  });
});
