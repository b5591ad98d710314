import request from 'supertest';
import { DateTime } from 'luxon';
import { Digest } from '../src/digests/digest.entity.js';
import { weekEndingAt } from '../src/digests/digest-period.js';
import { DIGEST_PLACEHOLDERS } from '../src/digests/digest-placeholders.js';
import { DigestReleaseHooks } from '../src/digests/digest-release-hooks.js';
import { WeeklyDigestService } from '../src/digests/weekly-digest.service.js';
import { FixtureServer, insertPosts, plusHours, RecordingListener, rss } from './fixtures/digests/posts.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'digest-admin-test-token-0123456789abcdef';
const ZONE = 'America/New_York';
const week = (n: number) =>
  weekEndingAt(DateTime.fromISO('2025-06-02T08:00', { zone: ZONE }).plus({ weeks: n }).toJSDate(), ZONE);
const UNKNOWN = '5b0f7c2e-2f7a-4c3e-9d53-1f1e2d3c4b5a';

describe('digest approval, admin API and web archive', () => {
  let feeds: FixtureServer;
  let smtp: SmtpSink;
  let app: TestApp;
  const listener = new RecordingListener();

  beforeAll(async () => {
    feeds = await FixtureServer.start();
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: {
        FEED_URLS: feeds.serve('/feed.xml', 'application/rss+xml', rss([])),
        SMTP_URL: smtp.url,
        ADMIN_TOKENS: TOKEN,
        DIGEST_APPROVAL: 'required',
      },
    });
    app.get(DigestReleaseHooks).register(listener);
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await feeds?.close();
  });

  const admin = () => ({
    get: (path: string) => request(app.http).get(`/admin/digests${path}`).set('Authorization', `Bearer ${TOKEN}`),
    post: (path: string, body?: object) =>
      request(app.http)
        .post(`/admin/digests${path}`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .send(body ?? {}),
  });
  const composeWeek = async (n: number, titles: string[]) => {
    const period = week(n);
    await insertPosts(
      app.dataSource,
      titles.map((title, i) => ({ title, publishedAt: plusHours(period.start, 10 + i) })),
    );
    return (await app.get(WeeklyDigestService).run(period)).digest;
  };

  it('refuses every admin route without a valid bearer token', async () => {
    await request(app.http).get('/admin/digests').expect(401);
    await request(app.http)
      .post(`/admin/digests/${UNKNOWN}/approve`)
      .set('Authorization', 'Bearer wrong-token-wrong-token-wrong-token-00')
      .expect(401);
  });

  it('with approval required, keeps the digest composed until an operator previews and approves it', async () => {
    const digest = await composeWeek(0, ['Needs an approval', 'Second post']);
    expect(digest.status).toBe('composed');
    expect(listener.released).not.toContain(digest.id);

    const preview = await admin().get(`/${digest.id}/preview`).expect(200);
    expect(preview.body.subject).toBe('BHM Healthcare weekly: Second post and 1 more');
    expect(preview.body.html).toContain('Needs an approval');
    expect(preview.body.text).toContain('Needs an approval');
    expect(preview.body.problems).toEqual([]);
    const html = await admin()
      .get(`/${digest.id}/preview/html`)
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(html.text).toContain('<!doctype html>');

    const shown = await admin().get(`/${digest.id}`).expect(200);
    expect(shown.body.posts.map((post: { title: string }) => post.title)).toEqual(['Second post', 'Needs an approval']);

    const approved = await admin().post(`/${digest.id}/approve`).expect(200);
    expect(approved.body.status).toBe('approved');
    expect(listener.released).toEqual([digest.id]);

    const again = await admin().post(`/${digest.id}/approve`).expect(409);
    // Approved, or already further along if the delivery took it (no subscribers here: sending, then sent).
    expect(again.body.message).toMatch(
      new RegExp(`^digest ${digest.id} is (approved|sending|sent); only a composed digest can be approved$`),
    );
    expect(listener.released).toEqual([digest.id]);
  });

  it('cancels a composed digest, frees its posts, and refuses to approve or cancel it afterwards', async () => {
    const digest = await composeWeek(2, ['To be cancelled']);
    const cancelled = await admin()
      .post(`/${digest.id}/cancel`, { reason: 'duplicate of a press release' })
      .expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.holdReason).toBe('cancelled: duplicate of a press release');
    const [{ claims }] = await app.dataSource.query(
      `SELECT bool_or(claims_post) AS claims FROM digest_posts WHERE digest_id = $1`,
      [digest.id],
    );
    expect(claims).toBe(false);
    expect((await admin().post(`/${digest.id}/approve`).expect(409)).body.message).toMatch(
      /is cancelled; only a composed digest/,
    );
    expect((await admin().post(`/${digest.id}/cancel`).expect(409)).body.message).toMatch(
      /is cancelled; only a composed, approved or sending digest can be cancelled/,
    );
  });

  it('refuses to release a digest that fails the pre-release check, and says why', async () => {
    const digest = await composeWeek(4, ['Broken by hand']);
    await app.dataSource.query(`UPDATE digests SET html = replace(html, $2, 'https://www.bhmpc.com/') WHERE id = $1`, [
      digest.id,
      DIGEST_PLACEHOLDERS.unsubscribeUrl,
    ]);
    const refused = await admin().post(`/${digest.id}/approve`).expect(409);
    expect(refused.body.message).toBe(
      'the digest cannot be released: the HTML part has no unsubscribe link placeholder',
    );
    const stored = await app.dataSource.getRepository(Digest).findOneByOrFail({ id: digest.id });
    expect(stored.status).toBe('composed');
    expect(stored.holdReason).toBe('refused before release: the HTML part has no unsubscribe link placeholder');
    expect((await admin().get(`/${digest.id}/preview`).expect(200)).body.problems).toEqual([
      'the HTML part has no unsubscribe link placeholder',
    ]);
  });

  it('answers 400 for a malformed id and 404 for an unknown one, never 500', async () => {
    for (const path of ['/not-a-uuid', '/not-a-uuid/preview', '/1%27%20OR%201=1']) {
      expect((await admin().get(path).expect(400)).body.message).toBe('the digest id must be a UUID');
    }
    expect((await admin().post('/nope/approve').expect(400)).body.message).toBe('the digest id must be a UUID');
    expect((await admin().get(`/${UNKNOWN}`).expect(404)).body.message).toBe(`there is no digest ${UNKNOWN}`);
    await admin().post(`/${UNKNOWN}/approve`).expect(404);
    await admin().post(`/${UNKNOWN}/cancel`).expect(404);
    await admin().post(`/${UNKNOWN}/test`, { to: 'ops@example.com' }).expect(404);
  });

  it('dry-runs a period: shows what would be composed and rendered, and stores nothing', async () => {
    const period = week(6);
    await insertPosts(app.dataSource, [{ title: 'Dry run candidate', publishedAt: plusHours(period.start, 3) }]);
    const before = await app.dataSource.getRepository(Digest).count();
    const dry = await admin().post('/dry-run', { periodEnd: period.end.toISOString() }).expect(200);
    expect(dry.body.periodStart).toBe(period.start.toISOString());
    expect(dry.body.wouldBe).toBe('composed');
    expect(dry.body.posts.map((post: { title: string }) => post.title)).toEqual(['Dry run candidate']);
    expect(dry.body.subject).toBe('BHM Healthcare weekly: Dry run candidate');
    expect(dry.body.html).toContain('Dry run candidate');
    expect(dry.body.problems).toEqual([]);
    expect(await app.dataSource.getRepository(Digest).count()).toBe(before);
    // The real run afterwards is not blocked by it.
    const real = await app.get(WeeklyDigestService).run(period);
    expect(real.created).toBe(true);
    expect(real.digest.status).toBe('composed');
    expect(
      (await admin().post('/dry-run', { periodEnd: period.end.toISOString() }).expect(200)).body.existingDigestId,
    ).toBe(real.digest.id);

    await admin().post('/dry-run', { periodEnd: 'next monday' }).expect(400);
    await admin()
      .post('/dry-run', { periodStart: period.end.toISOString(), periodEnd: period.start.toISOString() })
      .expect(400);
    await admin().post('/dry-run', { periodEnd: period.end.toISOString(), sendNow: true }).expect(400);
  });

  it('sends a test copy with harmless links to a checked address', async () => {
    const digest = await composeWeek(8, ['Test copy post']);
    const bad = await admin().post(`/${digest.id}/test`, { to: 'ops@example.com\r\nBcc: all@example.com' }).expect(400);
    expect(bad.body.message).toBe('to must not contain line breaks or control characters');
    await admin().post(`/${digest.id}/test`, {}).expect(400);

    const sent = await admin().post(`/${digest.id}/test`, { to: ' Ops@Example.com ' }).expect(200);
    expect(sent.body.to).toBe('ops@example.com');
    const [mail] = await smtp.waitForMail('ops@example.com');
    expect(mail.parsed.subject).toBe('[Test] BHM Healthcare weekly: Test copy post');
    for (const part of [mail.parsed.html as string, mail.parsed.text as string]) {
      expect(part).toContain('Test copy post');
      expect(part).not.toContain('tidings.invalid');
      expect(part).not.toContain('/unsubscribe/');
    }
    // On a line of its own: the link is filled in after the text part is wrapped, and must stay whole.
    expect(mail.parsed.text).toContain(`Unsubscribe:\n${app.config.url('/')}\n`);
    // A test copy changes nothing about the digest.
    expect((await app.dataSource.getRepository(Digest).findOneByOrFail({ id: digest.id })).status).toBe('composed');
  });

  it('lists digests newest period first, a page at a time', async () => {
    const first = await admin().get('/?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await admin().get(`/?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    const ends = [...first.body.items, ...second.body.items].map((item: { periodEnd: string }) => item.periodEnd);
    expect(ends).toEqual([...ends].sort().reverse());
    expect(new Set([...first.body.items, ...second.body.items].map((item: { id: string }) => item.id)).size).toBe(4);
    await admin().get('/?limit=0').expect(400);
    await admin().get('/?cursor=garbage').expect(400);
  });

  it('shows sent digests in the web archive without any subscriber link, and a clear 404 otherwise', async () => {
    const digest = await composeWeek(10, ['Archived <post> & more']);
    const composedPage = await request(app.http).get(`/archive/${digest.id}`).set('Accept', 'text/html').expect(404);
    expect(composedPage.text).toContain('This digest is not in the archive');

    // Approve, then sending and sent as the delivery will move it.
    await admin().post(`/${digest.id}/approve`).expect(200);
    await app.dataSource.query(`UPDATE digests SET status = 'sending', sending_at = now() WHERE id = $1`, [digest.id]);
    await app.dataSource.query(`UPDATE digests SET status = 'sent', sent_at = now() WHERE id = $1`, [digest.id]);

    const list = await request(app.http).get('/archive').expect(200).expect('Content-Type', /html/);
    expect(list.text).toContain(`/archive/${digest.id}`);
    expect(list.text).toContain('Archived &lt;post&gt; &amp; more');

    const page = await request(app.http).get(`/archive/${digest.id}`).expect(200).expect('Content-Type', /html/);
    expect(page.text).toContain('Archived &lt;post&gt; &amp; more');
    expect(page.text).not.toContain('tidings.invalid');
    expect(page.text).not.toContain('/unsubscribe/');
    // A page of the site: nobody's link to unsubscribe, an invitation to subscribe instead.
    expect(page.text).toContain(`href="${app.config.url('/subscribe')}"`);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");

    for (const id of [UNKNOWN, 'not-a-uuid', '..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'='1"]) {
      const missing = await request(app.http).get(`/archive/${id}`).set('Accept', 'text/html').expect(404);
      expect(missing.text).toContain('This digest is not in the archive');
    }
  });
});
