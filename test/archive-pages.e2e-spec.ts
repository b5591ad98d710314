import { XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed } from 'feedsmith';
import { DomUtils, parseDocument } from 'htmlparser2';
import { DateTime } from 'luxon';
import request from 'supertest';
import { DigestComposer } from '../src/digests/digest-composer.js';
import { weekEndingAt } from '../src/digests/digest-period.js';
import { insertPosts, plusHours } from './fixtures/digests/posts.js';
import { pathOf } from './support/links.js';
import { TestApp } from './support/test-app.js';

const ZONE = 'America/New_York';
const MARKUP_TITLE = 'Q&A: <b>"parity"</b> audits & you';
const IMAGE = 'https://www.bhmpc.com/wp-content/uploads/parity.jpg';
const OLDER_DIGESTS = 205;

/** The page's elements, read with a real HTML parser. */
function html(text: string) {
  const document = parseDocument(text);
  const all = (name: string) => DomUtils.getElementsByTagName(name, document);
  const meta = (key: string) =>
    all('meta').find((m) => m.attribs.property === key || m.attribs.name === key)?.attribs.content;
  const links = all('a').map((a) => ({ href: a.attribs.href, text: DomUtils.textContent(a).trim() }));
  const text_ = (name: string) => all(name).map((e) => DomUtils.textContent(e).replace(/\s+/g, ' ').trim());
  return { all, meta, links, text: text_ };
}

describe('the public archive', () => {
  let app: TestApp;
  let digestId: string;

  beforeAll(async () => {
    app = await TestApp.start({ env: { COMPANY_POSTAL_ADDRESS: '100 Example Way, Baltimore, MD 21201' } });
    const period = weekEndingAt(DateTime.fromISO('2025-09-15T08:00', { zone: ZONE }).toJSDate(), ZONE);
    await insertPosts(app.dataSource, [
      { title: 'Peer review turnaround times that payers accept', publishedAt: plusHours(period.start, 10) },
      { title: MARKUP_TITLE, publishedAt: plusHours(period.start, 40), imageUrl: IMAGE },
    ]);
    const { digest } = await app.get(DigestComposer).compose(period, { refreshFeeds: false });
    digestId = digest.id;
    for (const status of ['approved', 'sending', 'sent'])
      await app.dataSource.query(`UPDATE digests SET status = $2, sent_at = now() + interval '1 hour' WHERE id = $1`, [
        digestId,
        status,
      ]);
    // Four years of older digests, and then some: past one page of the archive.
    await app.dataSource.query(
      `INSERT INTO digests (period_start, period_end, status, subject, preheader, html, text, post_count, sending_at, sent_at)
       SELECT ts, ts + interval '7 days', 'sent', 'BHM Healthcare weekly: Older ' || n, 'Older', '<p>x</p>', 'x', 1,
              ts + interval '8 days', ts + interval '8 days'
         FROM generate_series(1, $1::int) AS n, LATERAL (SELECT timestamptz '2020-01-06' + n * interval '7 days' AS ts) AS t`,
      [OLDER_DIGESTS],
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it("shows a digest as a page of the site, with the company's header and footer, a way to subscribe and back", async () => {
    const page = await request(app.http).get(`/archive/${digestId}`).expect(200).expect('Content-Type', /html/);
    const sut = html(page.text);
    expect(sut.text('h1')).toEqual([`BHM Healthcare weekly: ${MARKUP_TITLE} and 1 more`]);
    expect(sut.text('h2')).toEqual(
      expect.arrayContaining([MARKUP_TITLE, 'Peer review turnaround times that payers accept']),
    );
    expect(sut.text('header')).toEqual(['BHM Healthcare Solutions']);
    const [footer] = sut.text('footer');
    for (const part of ['healthcare management consulting firm', '100 Example Way', '1-888-831-1171', 'info@bhmpc.com'])
      expect(footer).toContain(part);
    expect(sut.links).toEqual(
      expect.arrayContaining([
        { href: app.config.url('/archive'), text: '← All past digests' },
        { href: app.config.url('/subscribe'), text: 'Subscribe to the weekly digest' },
      ]),
    );
    // The picture is decorative: the title right below it names the post.
    expect(sut.all('img').map((img) => img.attribs)).toEqual([expect.objectContaining({ src: IMAGE, alt: '' })]);
  });

  it('carries a description and Open Graph tags for sharing, and links its feed and icon', async () => {
    const sut = html((await request(app.http).get(`/archive/${digestId}`).expect(200)).text);
    const url = app.config.url(`/archive/${digestId}`);
    expect(sut.meta('description')).toBe(`${MARKUP_TITLE} · Peer review turnaround times that payers accept`);
    expect(sut.meta('og:title')).toBe(`BHM Healthcare weekly: ${MARKUP_TITLE} and 1 more`);
    expect(sut.meta('og:description')).toBe(sut.meta('description'));
    expect(sut.meta('og:url')).toBe(url);
    expect(sut.meta('og:type')).toBe('article');
    expect(sut.meta('og:image')).toBe(IMAGE);
    const rels = sut.all('link').map((l) => l.attribs);
    expect(rels).toEqual(
      expect.arrayContaining([
        { rel: 'canonical', href: url },
        expect.objectContaining({
          rel: 'alternate',
          type: 'application/atom+xml',
          href: app.config.url('/archive/feed.atom'),
        }),
        expect.objectContaining({ rel: 'icon', href: app.config.url('/favicon.svg') }),
      ]),
    );
    const icon = await request(app.http)
      .get('/favicon.svg')
      .expect(200)
      .expect('Content-Type', /image\/svg\+xml/);
    expect(icon.body.toString()).toContain('<svg');
    await request(app.http).get('/favicon.ico').expect(301).expect('Location', '/favicon.svg');
  });

  it("shows none of a reader's links: no unsubscribe, manage or view-in-browser link, and no placeholder", async () => {
    const page = await request(app.http).get(`/archive/${digestId}`).expect(200);
    for (const personal of [
      /unsubscribe/i,
      /\/manage\//,
      /tidings\.invalid/,
      /__TIDINGS_/,
      /view in (your )?browser/i,
      /\{\{/,
    ])
      expect(page.text).not.toMatch(personal);
    // The markup in the title is text on the page, never markup.
    expect(page.text).not.toContain('<b>"parity"</b>');
    expect(page.text).toContain('Q&amp;A: &lt;b&gt;&quot;parity&quot;&lt;/b&gt; audits &amp; you');
  });

  it('lists 200 digests a page, newest first, with a link to the older ones that loses and repeats none', async () => {
    const first = html((await request(app.http).get('/archive').expect(200)).text);
    const digestLinks = (page: ReturnType<typeof html>) =>
      page.links.filter((l) => /\/archive\/[0-9a-f-]{36}$/.test(l.href)).map((l) => l.href);
    const page1 = digestLinks(first);
    expect(page1).toHaveLength(200);
    expect(page1[0]).toBe(app.config.url(`/archive/${digestId}`));
    const older = first.links.find((l) => l.text === 'Older digests')!;
    const second = html((await request(app.http).get(pathOf(older.href)).expect(200)).text);
    const page2 = digestLinks(second);
    expect(page2).toHaveLength(OLDER_DIGESTS + 1 - 200);
    expect(new Set([...page1, ...page2]).size).toBe(OLDER_DIGESTS + 1);
    expect(second.text('li').at(-1)).toContain('BHM Healthcare weekly: Older 1');
    expect(second.links.find((l) => l.text === 'Older digests')).toBeUndefined();
    expect(second.links.find((l) => l.text === 'Newest digests')?.href).toBe(app.config.url('/archive'));
  });

  it.each([
    ['garbage', '?before=not-a-cursor'],
    ['a well-formed cursor of the wrong shape', `?before=${Buffer.from('{"a":1}').toString('base64url')}`],
    ['two cursors', '?before=a&before=b'],
  ])('answers a page cursor that is %s with a 400 page that says so, never a 500', async (_kind, query) => {
    const page = await request(app.http).get(`/archive${query}`).set('Accept', 'text/html').expect(400);
    expect(page.headers['content-type']).toMatch(/html/);
    expect(page.text).toContain('before is not a page of the archive');
    const json = await request(app.http).get(`/archive${query}`).set('Accept', 'application/json').expect(400);
    expect(json.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/^before is not a page/) });
  });

  it('publishes the newest digests as a valid Atom 1.0 feed, every value read back as written', async () => {
    const response = await request(app.http)
      .get('/archive/feed.atom')
      .buffer(true)
      .parse((res, done) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done(null, body));
      })
      .expect(200)
      .expect('Content-Type', 'application/atom+xml; charset=utf-8');
    const xml = response.body as string;
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe(app.config.url('/archive'));
    expect(feed.title).toMatchObject({ value: 'BHM Healthcare weekly digest' });
    expect(feed.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rel: 'self', href: app.config.url('/archive/feed.atom') }),
        expect.objectContaining({ rel: 'alternate', href: app.config.url('/archive') }),
      ]),
    );
    expect(feed.entries).toHaveLength(20);
    const [newest] = feed.entries!;
    expect(newest.id).toBe(app.config.url(`/archive/${digestId}`));
    expect(newest.links?.[0].href).toBe(app.config.url(`/archive/${digestId}`));
    // type="html": the subject comes back HTML-escaped once, so a reader shows the markup as text.
    expect(newest.title).toEqual({
      type: 'html',
      value: 'BHM Healthcare weekly: Q&amp;A: &lt;b&gt;&quot;parity&quot;&lt;/b&gt; audits &amp; you and 1 more',
    });
    expect(newest.content).toMatchObject({ type: 'html', value: expect.stringContaining('&lt;b&gt;&quot;parity') });
    expect(new Date(newest.updated!).getTime()).toBeGreaterThan(new Date(feed.entries![1].updated!).getTime());
    expect(xml).not.toMatch(/unsubscribe|tidings\.invalid/i);
  });
});
