import { createHmac } from 'node:crypto';
import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { linkIn, linkTokenOf, pathOf } from './support/links.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'r'.repeat(40);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('admin subscribers API', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN, SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    // Confirmation mails still in flight would fail against a closed app.
    if (app) await waitForQueueDrained(app, QueueName.TransactionalMail);
    await app?.close();
    await smtp?.close();
  });

  beforeEach(async () => {
    await app.dataSource.query(`TRUNCATE subscribers, suppressions CASCADE`);
  });

  const get = (path: string) => request(app.http).get(path).set('Authorization', `Bearer ${TOKEN}`);
  const post = (path: string) => request(app.http).post(path).set('Authorization', `Bearer ${TOKEN}`);
  const del = (path: string) => request(app.http).delete(path).set('Authorization', `Bearer ${TOKEN}`);
  const count = async (table: string): Promise<number> =>
    (await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const hmac = (value: string) => createHmac('sha256', app.config.subscriptions.suppressionKey).update(value).digest();

  /** Subscribers inserted directly, all with the same created_at, so pages must break ties on id. */
  async function seed(
    rows: { email: string; name?: string; status?: string }[],
    createdAt = '2025-01-01T00:00:00.123456Z',
  ): Promise<string[]> {
    const inserted: { id: string }[] = await app.dataSource.query(
      `INSERT INTO subscribers (email, name, status, created_at)
       SELECT e, n, s::subscriber_status, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS t(e, n, s) RETURNING id`,
      [rows.map((r) => r.email), rows.map((r) => r.name ?? null), rows.map((r) => r.status ?? 'confirmed'), createdAt],
    );
    return inserted.map((row) => row.id);
  }

  async function subscribeAndConfirm(email: string): Promise<string> {
    await request(app.http).post('/subscribe').send({ email, consent: 'yes', name: 'Pat' }).expect(200);
    const [mail] = await smtp.waitForMail(email);
    await request(app.http)
      .post(pathOf(linkIn(mail.parsed.text, `${app.url}/confirm/`)))
      .expect(200);
    return (await app.dataSource.query(`SELECT id FROM subscribers WHERE email = $1`, [email]))[0].id;
  }

  describe('GET /admin/subscribers', () => {
    it('pages through every subscriber newest first, neither skipping nor repeating at page boundaries', async () => {
      await seed(Array.from({ length: 25 }, (_, i) => ({ email: `same-${i}@example.com` })));
      await seed([{ email: 'newest@example.com' }], '2025-06-01T00:00:00.000001Z');
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string> = cursor ? { limit: '10', cursor } : { limit: '10' };
        const { body } = await get('/admin/subscribers').query(query).expect(200);
        seen.push(...body.items.map((item: { email: string }) => item.email));
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(26);
      expect(new Set(seen).size).toBe(26);
      expect(seen[0]).toBe('newest@example.com');
    });

    it('filters by status and finds a piece of the address whatever its case, with % and _ taken literally', async () => {
      await seed([
        { email: 'a_b@example.com' },
        { email: 'axb@example.com' },
        { email: 'a%b@example.com', status: 'unsubscribed' },
        { email: 'other@example.org', status: 'pending' },
      ]);
      const emails = async (query: Record<string, string>) =>
        (await get('/admin/subscribers').query(query).expect(200)).body.items
          .map((r: { email: string }) => r.email)
          .sort();
      expect(await emails({ q: 'A_B' })).toEqual(['a_b@example.com']);
      expect(await emails({ q: '%' })).toEqual(['a%b@example.com']);
      expect(await emails({ q: 'EXAMPLE.COM' })).toEqual(['a%b@example.com', 'a_b@example.com', 'axb@example.com']);
      expect(await emails({ status: 'pending' })).toEqual(['other@example.org']);
      expect(await emails({ status: 'unsubscribed', q: 'b@' })).toEqual(['a%b@example.com']);
      expect(await emails({ status: 'bounced' })).toEqual([]);
    });

    it('never shows the unsubscribe token', async () => {
      await seed([{ email: 'secret@example.com' }]);
      const response = await get('/admin/subscribers').expect(200);
      expect(response.text).not.toContain('tok-secret@example.com');
      expect(Object.keys(response.body.items[0]).sort()).toEqual([
        'bouncedAt',
        'confirmedAt',
        'createdAt',
        'email',
        'id',
        'name',
        'status',
        'unsubscribedAt',
        'updatedAt',
      ]);
    });

    it.each([
      [{ limit: '0' }, /limit must be a whole number from 1 to 100/],
      [{ limit: '101' }, /limit must be a whole number from 1 to 100/],
      [{ limit: 'ten' }, /limit must be a whole number from 1 to 100/],
      [{ status: 'gone' }, /status must be one of: pending, confirmed, unsubscribed, bounced/],
      [{ cursor: 'not-a-cursor' }, /cursor is not valid/],
      [{ cursor: Buffer.from('["yesterday","x"]').toString('base64url') }, /cursor is not valid/],
      [{ cursor: Buffer.from('{"a":1}').toString('base64url') }, /cursor is not valid/],
      [{ cursor: 'x'.repeat(500) }, /cursor is not valid/],
      [{ sort: 'email' }, /sort is not an accepted field/],
    ])('answers %j with a 400 that says what is wrong', async (query, message) => {
      const { body } = await get('/admin/subscribers').query(query).expect(400);
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(body.message).toMatch(message);
    });
  });

  describe('GET /admin/subscribers/:id', () => {
    it('shows the subscriber with their consent events and an empty delivery history', async () => {
      const id = await subscribeAndConfirm('pat@example.com');
      const { body, text } = await get(`/admin/subscribers/${id}`).expect(200);
      expect(body).toMatchObject({ id, email: 'pat@example.com', name: 'Pat', status: 'confirmed', deliveries: [] });
      expect(body.consentEvents.map((event: { kind: string; source: string }) => [event.kind, event.source])).toEqual([
        ['subscribe', 'form'],
        ['confirm', 'confirmation-link'],
      ]);
      expect(body.consentEvents[0].consentText).toMatch(/weekly digest/);
      const secret = await linkTokenOf(app, 'pat@example.com');
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/nonce/i);
    });

    it('answers an unknown id with 404 and a non-UUID with 400', async () => {
      expect((await get(`/admin/subscribers/${UNKNOWN_ID}`).expect(404)).body.message).toBe(
        `no subscriber has the id ${UNKNOWN_ID}`,
      );
      expect((await get('/admin/subscribers/42').expect(400)).body.message).toBe('the subscriber id must be a UUID');
    });
  });

  describe('POST /admin/subscribers/:id/unsubscribe', () => {
    it("unsubscribes the subscriber once, recording the operator's action as consent event 'admin'", async () => {
      const [id] = await seed([{ email: 'leaving@example.com' }]);
      const { body } = await post(`/admin/subscribers/${id}/unsubscribe`).set('User-Agent', 'ops-cli').expect(200);
      expect(body).toMatchObject({ id, status: 'unsubscribed' });
      expect(body.unsubscribedAt).toEqual(expect.any(String));
      await post(`/admin/subscribers/${id}/unsubscribe`).expect(200);
      const events = await app.dataSource.query(
        `SELECT kind, source, user_agent FROM consent_events WHERE subscriber_id = $1`,
        [id],
      );
      expect(events).toEqual([{ kind: 'unsubscribe', source: 'admin', user_agent: 'ops-cli' }]);
    });

    it('answers an unknown id with 404 and a non-UUID with 400, changing nothing', async () => {
      await seed([{ email: 'stays@example.com' }]);
      await post(`/admin/subscribers/${UNKNOWN_ID}/unsubscribe`).expect(404);
      await post('/admin/subscribers/nope/unsubscribe').expect(400);
      expect(await count(`subscribers WHERE status = 'confirmed'`)).toBe(1);
      expect(await count('consent_events')).toBe(0);
    });
  });

  describe('GET /admin/subscribers/:id/export', () => {
    it('gives everything held about the subscriber, and none of the secrets', async () => {
      const id = await subscribeAndConfirm('data@example.com');
      const { body, text } = await get(`/admin/subscribers/${id}/export`).expect(200);
      expect(body.subscriber).toMatchObject({ id, email: 'data@example.com', status: 'confirmed' });
      expect(body.consentEvents).toHaveLength(2);
      expect(body.deliveries).toEqual([]);
      expect(body.confirmationTokens).toHaveLength(1);
      expect(Object.keys(body.confirmationTokens[0]).sort()).toEqual([
        'createdAt',
        'expiresAt',
        'id',
        'mailedAt',
        'newEmail',
        'usedAt',
      ]);
      expect(body.confirmationTokens[0].usedAt).toEqual(expect.any(String));
      const [{ email }] = await app.dataSource.query(`SELECT email FROM subscribers WHERE id = $1`, [id]);
      const secret = await linkTokenOf(app, email);
      const [{ hash }] = await app.dataSource.query(
        `SELECT encode(token_hash, 'hex') AS hash FROM confirmation_tokens WHERE subscriber_id = $1`,
        [id],
      );
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hash);
      expect(text).not.toMatch(/token_?hash|link_?nonce|unsubscribe_?token/i);
    });

    it('answers an unknown id with 404 and a non-UUID with 400', async () => {
      await get(`/admin/subscribers/${UNKNOWN_ID}/export`).expect(404);
      await get('/admin/subscribers/x/export').expect(400);
    });
  });

  describe('DELETE /admin/subscribers/:id', () => {
    it('erases the subscriber and keeps only a hash of the address as a suppression', async () => {
      const id = await subscribeAndConfirm('erase.me@example.com');
      await del(`/admin/subscribers/${id}`).expect(204);
      expect(await count('subscribers')).toBe(0);
      expect(await count('consent_events')).toBe(0);
      expect(await count('confirmation_tokens')).toBe(0);
      const suppressions = await app.dataSource.query(`SELECT email_hash, reason FROM suppressions`);
      expect(suppressions).toEqual([{ email_hash: hmac('erase.me@example.com'), reason: 'erased' }]);
      const [{ dump }] = await app.dataSource.query(`SELECT string_agg(s::text, ' ') AS dump FROM suppressions s`);
      expect(dump).not.toContain('erase.me');
      await del(`/admin/subscribers/${id}`).expect(404);
    });

    it('refuses the erased address on import, but lets the subscriber come back through their own confirmed opt-in', async () => {
      const id = await subscribeAndConfirm('back@example.com');
      await del(`/admin/subscribers/${id}`).expect(204);
      const refused = await post('/admin/subscribers/import')
        .type('text/csv')
        .send('email\nback@example.com\n')
        .expect(200);
      expect(refused.body).toMatchObject({ imported: 0, suppressed: 1, alreadyPresent: 0 });
      expect(await count('subscribers')).toBe(0);

      // Subscribing is not consent yet (anyone can type the address): the suppression stays until the click.
      await request(app.http).post('/subscribe').send({ email: 'back@example.com', consent: 'yes' }).expect(200);
      const mails = await smtp.waitForMail('back@example.com', 2, /^Please confirm/);
      expect(await count('suppressions')).toBe(1);
      await request(app.http)
        .post(pathOf(linkIn(mails[1].parsed.text, `${app.url}/confirm/`)))
        .expect(200);
      expect(await count('suppressions')).toBe(0);
      const again = await post('/admin/subscribers/import')
        .type('text/csv')
        .send('email\nback@example.com\n')
        .expect(200);
      expect(again.body).toMatchObject({ imported: 0, suppressed: 0, alreadyPresent: 1 });
    });

    it('answers an unknown id with 404 and a non-UUID with 400, erasing nothing', async () => {
      await seed([{ email: 'kept@example.com' }]);
      await del(`/admin/subscribers/${UNKNOWN_ID}`).expect(404);
      await del('/admin/subscribers/1').expect(400);
      expect(await count('subscribers')).toBe(1);
      expect(await count('suppressions')).toBe(0);
    });
  });

  describe('GET /admin/subscribers/export', () => {
    it('streams every subscriber as CSV with the documented columns, oldest first', async () => {
      await seed([{ email: 'old@example.com', name: 'Old, "quoted"' }], '2024-01-01T00:00:00Z');
      await seed([{ email: 'gone@example.com', status: 'unsubscribed' }], '2024-02-01T00:00:00Z');
      await seed([{ email: 'sheet@example.com', name: '=HYPERLINK("x")' }], '2024-03-01T00:00:00Z');
      const response = await get('/admin/subscribers/export').expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="?subscribers-all-\d{4}-\d{2}-\d{2}\.csv"?$/,
      );
      const lines = response.text.trim().split('\n');
      expect(lines[0]).toBe('email,name,status,created_at,confirmed_at,unsubscribed_at');
      expect(lines.slice(1)).toEqual([
        'old@example.com,"Old, ""quoted""",confirmed,2024-01-01T00:00:00.000Z,,',
        'gone@example.com,,unsubscribed,2024-02-01T00:00:00.000Z,,',
        `sheet@example.com,"'=HYPERLINK(""x"")",confirmed,2024-03-01T00:00:00.000Z,,`,
      ]);
      expect(response.text).not.toContain('tok-');
    });

    it('defuses a formula in the email column too', async () => {
      await seed([{ email: '=cmd|calc@example.com' }, { email: '+1-sum@example.com' }, { email: '@x@example.com' }]);
      const response = await get('/admin/subscribers/export').expect(200);
      const emails = response.text
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort();
      expect(emails).toEqual(["'+1-sum@example.com", "'=cmd|calc@example.com", "'@x@example.com"]);
    });

    it('exports one status only, and more subscribers than one read batch', async () => {
      await seed(
        Array.from({ length: 2_500 }, (_, i) => ({
          email: `bulk-${i}@example.com`,
          status: i % 2 ? 'pending' : 'confirmed',
        })),
      );
      const response = await get('/admin/subscribers/export').query({ status: 'pending' }).expect(200);
      const rows = response.text.trim().split('\n').slice(1);
      expect(rows).toHaveLength(1_250);
      expect(new Set(rows).size).toBe(1_250);
      expect(rows.every((row) => row.split(',')[2] === 'pending')).toBe(true);
      expect(response.headers['content-disposition']).toMatch(/subscribers-pending-/);
    });

    it('refuses an unknown status with 400', async () => {
      expect((await get('/admin/subscribers/export').query({ status: 'all' }).expect(400)).body.message).toMatch(
        /status must be one of/,
      );
    });
  });
});
