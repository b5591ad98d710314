import { DateTime } from 'luxon';
import mjml2html from 'mjml';
import { compileMjml, TemplateEngine } from '../src/rendering/template-engine.js';
import { DigestComposer } from '../src/digests/digest-composer.js';
import { checkDigestForDelivery, GMAIL_CLIP_BYTES } from '../src/digests/digest-delivery-check.js';
import { Digest } from '../src/digests/digest.entity.js';
import { type DigestPeriod, weekEndingAt } from '../src/digests/digest-period.js';
import { DIGEST_PLACEHOLDERS } from '../src/digests/digest-placeholders.js';
import { DigestReleaseHooks } from '../src/digests/digest-release-hooks.js';
import { DigestRenderer } from '../src/digests/digest-renderer.js';
import { DigestsService } from '../src/digests/digests.service.js';
import { WeeklyDigestService } from '../src/digests/weekly-digest.service.js';
import { FixtureServer, insertPosts, plusHours, RecordingListener, rss } from './fixtures/digests/posts.js';
import { TestApp } from './support/test-app.js';

const ZONE = 'America/New_York';
/** Week n of a run of past weeks, so each test has a period of its own. */
const week = (n: number): DigestPeriod =>
  weekEndingAt(DateTime.fromISO('2025-01-06T08:00', { zone: ZONE }).plus({ weeks: n }).toJSDate(), ZONE);

describe('composing the weekly digest', () => {
  let feeds: FixtureServer;
  let app: TestApp;
  let weekly: WeeklyDigestService;
  let composer: DigestComposer;
  const listener = new RecordingListener();

  beforeAll(async () => {
    feeds = await FixtureServer.start();
    const feedUrl = feeds.serve('/feed.xml', 'application/rss+xml', rss([]));
    app = await TestApp.start({
      env: { FEED_URLS: feedUrl, COMPANY_POSTAL_ADDRESS: '100 Example Way, Baltimore, MD 21201' },
    });
    weekly = app.get(WeeklyDigestService);
    composer = app.get(DigestComposer);
    app.get(DigestReleaseHooks).register(listener);
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  const digestPosts = (id: string): Promise<Array<{ post_id: string; position: number }>> =>
    app.dataSource.query(`SELECT post_id, position FROM digest_posts WHERE digest_id = $1 ORDER BY position`, [id]);

  it('composes the period newest first, renders it once with the placeholders, and releases it at once by default', async () => {
    const period = week(0);
    const ids = await insertPosts(app.dataSource, [
      { title: 'Oldest: accreditation checklists', publishedAt: plusHours(period.start, 1) },
      { title: 'Newest: physician advisor programs', publishedAt: plusHours(period.end, -1) },
      {
        title: 'Middle: managed care contracts',
        publishedAt: plusHours(period.start, 72),
        imageUrl: 'https://www.bhmpc.com/wp-content/uploads/contracts.jpg',
      },
    ]);
    const { digest, created } = await weekly.run(period);
    expect(created).toBe(true);
    expect(digest.status).toBe('approved');
    expect(digest.approvedAt).toBeInstanceOf(Date);
    expect(listener.released).toContain(digest.id);
    expect(digest.subject).toBe('BHM Healthcare weekly: Newest: physician advisor programs and 2 more');
    expect((await digestPosts(digest.id)).map((row) => row.post_id)).toEqual([ids[1], ids[2], ids[0]]);
    expect(digest.postCount).toBe(3);
    expect(digest.moreCount).toBe(0);
    const html = digest.html!;
    const text = digest.text!;
    expect(html.indexOf('Newest: physician')).toBeLessThan(html.indexOf('Middle: managed'));
    expect(html.indexOf('Middle: managed')).toBeLessThan(html.indexOf('Oldest: accreditation'));
    for (const part of [html, text]) {
      expect(part).toContain(DIGEST_PLACEHOLDERS.unsubscribeUrl);
      expect(part).toContain(DIGEST_PLACEHOLDERS.manageUrl);
      expect(part).toContain(app.config.url(`/archive/${digest.id}`));
      expect(part).toContain('100 Example Way, Baltimore, MD 21201');
      expect(part).toContain('1-888-831-1171');
      expect(part).toContain('info@bhmpc.com');
      expect(part).toContain('https://www.bhmpc.com');
      expect(part).toContain('https://www.linkedin.com/company/bhm-healthcare-solutions');
      expect(part).toContain('healthcare management consulting firm');
      expect(part).toContain('because you subscribed');
      expect(part).toContain('Read more');
    }
    // The card's picture is decorative (its title follows), so it says nothing to a screen reader and is no link.
    expect(html).toMatch(/<img\s+alt="" src="https:\/\/www\.bhmpc\.com\/wp-content\/uploads\/contracts\.jpg"/);
    expect(html).not.toContain('alt="Middle: managed care contracts"');
    // "View in your browser" above the header as well as in the footer, in both parts.
    expect(html.split(app.config.url(`/archive/${digest.id}`)).length - 1).toBe(2);
    expect(text.split(app.config.url(`/archive/${digest.id}`)).length - 1).toBe(2);
    // The text part: 78 columns at most except a line that is one URL, and the footer after "-- ".
    for (const line of text.split('\n')) if (Array.from(line).length > 78) expect(line).toMatch(/^https?:\/\/\S+$/);
    expect(text).toMatch(/\n-- \nBHM Healthcare Solutions\n/);
    expect(html).toContain(digest.preheader!);
    expect(checkDigestForDelivery(digest)).toEqual([]);

    // Composing the period again (a retry, another instance) returns the same digest.
    const again = await weekly.run(period);
    expect(again.created).toBe(false);
    expect(again.digest.id).toBe(digest.id);
    expect(await app.dataSource.getRepository(Digest).countBy({ periodStart: period.start })).toBe(1);
  });

  it('records a week without posts as skipped and releases nothing', async () => {
    const period = week(1);
    const { digest } = await weekly.run(period);
    expect(digest.status).toBe('skipped');
    expect(digest.html).toBeNull();
    expect(digest.postCount).toBe(0);
    expect(listener.released).not.toContain(digest.id);
    await expect(app.get(DigestsService).preview(digest.id)).rejects.toThrow(/skipped: its week had no posts/);
  });

  it('leaves out hidden posts, future posts and posts outside [start, end)', async () => {
    const now = new Date();
    const period = { start: plusHours(now, -72), end: plusHours(now, 96) };
    const [atStart, , , , inside] = await insertPosts(app.dataSource, [
      { title: 'Exactly at the start', publishedAt: period.start },
      { title: 'Exactly at the end', publishedAt: period.end },
      { title: 'Hidden by an operator', publishedAt: plusHours(now, -2), hidden: true },
      { title: 'Scheduled for tomorrow', publishedAt: plusHours(now, 24) },
      { title: 'Published an hour ago', publishedAt: plusHours(now, -1) },
      { title: 'Before the period', publishedAt: plusHours(period.start, -1) },
    ]);
    const { digest } = await composer.compose(period, { refreshFeeds: false });
    expect((await digestPosts(digest.id)).map((row) => row.post_id)).toEqual([inside, atStart]);
    expect(digest.html).not.toContain('Hidden by an operator');
    expect(digest.html).not.toContain('Scheduled for tomorrow');
    expect(digest.moreCount).toBe(0);
  });

  it('never puts a post in a second digest, until its digest is cancelled', async () => {
    const first = week(3);
    const [postId] = await insertPosts(app.dataSource, [
      { title: 'Already sent once', publishedAt: plusHours(first.end, -30) },
    ]);
    const { digest: sent } = await composer.compose(first, { refreshFeeds: false });
    await app.dataSource.query(`UPDATE digests SET status = 'sending', sending_at = now() WHERE id = $1`, [sent.id]);
    await app.dataSource.query(`UPDATE digests SET status = 'sent', sent_at = now() WHERE id = $1`, [sent.id]);

    // An overlapping period (say DIGEST_CRON moved a day) holds the same post: it is not sent again.
    const overlapping = { start: plusHours(first.start, 24), end: plusHours(first.end, 24) };
    expect((await composer.compose(overlapping, { refreshFeeds: false })).digest.status).toBe('skipped');
    // The database refuses it too, whatever the code does: another (composed) digest cannot claim the post.
    const second = week(4);
    await insertPosts(app.dataSource, [{ title: 'Another week', publishedAt: plusHours(second.start, 30) }]);
    const { digest: other } = await composer.compose(second, { refreshFeeds: false });
    expect(other.status).toBe('composed');
    await expect(
      app.dataSource.query(`INSERT INTO digest_posts (digest_id, post_id, position) VALUES ($1, $2, 9)`, [
        other.id,
        postId,
      ]),
    ).rejects.toThrow(/digest_posts_one_live_digest_idx/);

    // A cancelled digest gives its posts back.
    const third = week(5);
    const [freed] = await insertPosts(app.dataSource, [
      { title: 'Cancelled then sent later', publishedAt: plusHours(third.end, -30) },
    ]);
    const { digest: cancelled } = await composer.compose(third, { refreshFeeds: false });
    await app.get(DigestsService).cancelUnreleased(cancelled.id, 'cancelled: wrong week');
    const later = { start: plusHours(third.start, 24), end: plusHours(third.end, 24) };
    const { digest: resent } = await composer.compose(later, { refreshFeeds: false });
    expect((await digestPosts(resent.id)).map((row) => row.post_id)).toEqual([freed]);
  });

  it('caps the digest at DIGEST_MAX_POSTS, newest first, and links the rest on the blog', async () => {
    const period = week(7);
    await insertPosts(
      app.dataSource,
      Array.from({ length: 13 }, (_, i) => ({
        title: `Capped post ${String(i + 1).padStart(2, '0')}`,
        publishedAt: plusHours(period.start, 10 * (i + 1)),
      })),
    );
    const { digest } = await composer.compose(period, { refreshFeeds: false });
    expect(digest.postCount).toBe(10);
    expect(digest.moreCount).toBe(3);
    expect(digest.subject).toBe('BHM Healthcare weekly: Capped post 13 and 12 more');
    expect(digest.html).toContain('Capped post 04');
    expect(digest.html).not.toContain('Capped post 03');
    expect(digest.html).toContain('And 3 more on the blog');
    expect(digest.html).toContain('href="https://www.bhmpc.com/blog/"');
    expect(digest.text).toContain('And 3 more on the blog: https://www.bhmpc.com/blog/');
    expect(digest.text).toContain('the 10 newest of the 13 posts');
  });

  it('shows a title with markup as text in both parts, and in the subject', async () => {
    const period = week(9);
    const title = `<b>Bold</b> & <script>alert("x")</script> 'quoted' {{handlebars}}`;
    await insertPosts(app.dataSource, [
      {
        title,
        summary: 'Summary with <img src=x onerror=alert(1)> inside',
        imageUrl: 'https://www.bhmpc.com/a.jpg',
        publishedAt: plusHours(period.start, 5),
      },
    ]);
    const { digest } = await composer.compose(period, { refreshFeeds: false });
    const html = digest.html!;
    expect(html).not.toContain('<b>Bold</b>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;');
    expect(html).toContain('{{handlebars}}');
    expect(html).toMatch(/Summary with &lt;img src(=|&#x3D;)x onerror(=|&#x3D;)alert\(1\)&gt; inside/);
    expect(digest.text).toContain(title);
    expect(digest.text).toContain('Summary with <img src=x onerror=alert(1)> inside');
    expect(digest.subject).toBe(`BHM Healthcare weekly: ${title}`);
    expect(checkDigestForDelivery(digest)).toEqual([]);
  });

  it('renders ten long posts with images that pass MJML strict validation with no warnings and stay under 102 KB', async () => {
    const period = week(11);
    await insertPosts(
      app.dataSource,
      Array.from({ length: 10 }, (_, i) => ({
        title: `A long title about value-based care, payer contracts and the peer review process, part ${i + 1} of ten`,
        summary: 'Healthcare organizations face denials, audits and accreditation surveys at once. '.repeat(60),
        imageUrl: `https://www.bhmpc.com/wp-content/uploads/2025/01/a-rather-long-image-file-name-for-post-${i + 1}-1024x576.jpg`,
        publishedAt: plusHours(period.start, 12 * (i + 1)),
      })),
    );
    const { digest } = await composer.compose(period, { refreshFeeds: false });
    expect(digest.postCount).toBe(10);
    const bytes = Buffer.byteLength(digest.html!, 'utf8');
    expect(bytes).toBeLessThan(GMAIL_CLIP_BYTES);
    // Headroom for longer titles and company texts; a card should not need much more.
    expect(bytes).toBeLessThan(80 * 1024);
    expect(checkDigestForDelivery(digest)).toEqual([]);

    // The same draft through Handlebars to MJML, then MJML's validator on its own.
    const renderer = app.get(DigestRenderer);
    const posts = await app.dataSource.query(
      `SELECT p.id, p.url, p.title, p.summary, p.image_url AS "imageUrl", p.author, p.published_at AS "publishedAt"
         FROM digest_posts dp JOIN posts p ON p.id = dp.post_id WHERE dp.digest_id = $1 ORDER BY dp.position`,
      [digest.id],
    );
    const mjml = app
      .get(TemplateEngine)
      .renderMjml('digest', renderer.context({ id: digest.id, period, posts, moreCount: 0 }));
    const soft = await mjml2html(mjml, { validationLevel: 'soft' } as never);
    expect(soft.errors).toEqual([]);
    await expect(compileMjml(mjml)).resolves.toContain('<!doctype html>');
  });

  it('refreshes the feeds before composing, so a post published just before the run is in it', async () => {
    const now = new Date();
    const period = { start: plusHours(now, -100), end: plusHours(now, 1) };
    feeds.serve(
      '/feed.xml',
      'application/rss+xml',
      rss([
        {
          title: 'Fresh from the feed',
          link: 'https://www.bhmpc.com/blog/fresh-from-the-feed/',
          date: plusHours(now, -2),
        },
      ]),
    );
    const { digest } = await composer.compose(period);
    expect(digest.html).toContain('Fresh from the feed');
  });

  it('freezes a sending or sent digest: the database refuses any change to its content', async () => {
    const period = week(13);
    await insertPosts(app.dataSource, [{ title: 'Frozen', publishedAt: plusHours(period.start, 5) }]);
    const { digest } = await composer.compose(period, { refreshFeeds: false });
    // While composed, content may still change (an operator's fix before approval).
    await app.dataSource.query(`UPDATE digests SET preheader = 'fixed' WHERE id = $1`, [digest.id]);
    await app.dataSource.query(`UPDATE digests SET status = 'approved' WHERE id = $1`, [digest.id]);
    await app.dataSource.query(`UPDATE digests SET status = 'sending' WHERE id = $1`, [digest.id]);
    await expect(
      app.dataSource.query(`UPDATE digests SET html = '<p>changed</p>' WHERE id = $1`, [digest.id]),
    ).rejects.toThrow(/content cannot change/);
    await app.dataSource.query(`UPDATE digests SET status = 'sent', sent_at = now() WHERE id = $1`, [digest.id]);
    await expect(
      app.dataSource.query(`UPDATE digests SET subject = 'changed' WHERE id = $1`, [digest.id]),
    ).rejects.toThrow(/content cannot change/);
    await expect(app.dataSource.query(`DELETE FROM digest_posts WHERE digest_id = $1`, [digest.id])).rejects.toThrow(
      /posts cannot change/,
    );
    await expect(app.dataSource.query(`DELETE FROM digests WHERE id = $1`, [digest.id])).rejects.toThrow(
      /cannot be deleted/,
    );
    await expect(
      app.dataSource.query(`UPDATE digests SET status = 'cancelled' WHERE id = $1`, [digest.id]),
    ).rejects.toThrow(/final/);
    const [row] = await app.dataSource.query(`SELECT subject, html FROM digests WHERE id = $1`, [digest.id]);
    expect(row.subject).toBe(digest.subject);
    expect(row.html).toBe(digest.html);
  });
});
