import request from 'supertest';
import {
  deliveryCounts,
  digestStatus,
  insertApprovedDigest,
  insertConfirmedSubscribers,
} from './support/digest-fixtures.js';
import { type SmtpReply, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'operator-token-'.padEnd(48, 'x');
const SUBSCRIBERS = 300;

describe('following a send through the admin API', () => {
  let reply: (address: string) => SmtpReply = () => undefined;
  let smtp: SmtpSink;
  let app: TestApp;
  const admin = () => ({
    get: (path: string) => request(app.http).get(path).set('Authorization', `Bearer ${TOKEN}`),
    post: (path: string) => request(app.http).post(path).set('Authorization', `Bearer ${TOKEN}`),
  });

  beforeAll(async () => {
    smtp = await SmtpSink.start({ onRecipient: (address) => reply(address) });
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        ADMIN_TOKENS: TOKEN,
        DELIVERY_RATE_PER_SECOND: '100',
        DELIVERY_BACKOFF_MS: '20',
        DELIVERY_MAX_ATTEMPTS: '2',
      },
    });
    await insertConfirmedSubscribers(app.dataSource, SUBSCRIBERS);
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('reports progress moving from 0 to 100 per cent during a real send, with rate, times and time left', async () => {
    const id = await insertApprovedDigest(app.dataSource, 'Progress digest');
    // Composed, as the weekly job leaves it when approval is required.
    await app.dataSource.query(`UPDATE digests SET status = 'composed', approved_at = NULL WHERE id = $1`, [id]);
    const before = (await admin().get(`/admin/digests/${id}`).expect(200)).body;
    expect(before.deliveries).toMatchObject({
      progressPercent: 0,
      counts: { total: 0 },
      startedAt: null,
      estimatedSecondsLeft: null,
    });

    await admin().post(`/admin/digests/${id}/approve`).expect(200);
    const seen: Array<{ progress: number; left: number | null; rate: number }> = [];
    await waitFor(
      async () => {
        const { body } = await admin().get(`/admin/digests/${id}`).expect(200);
        seen.push({
          progress: body.deliveries.progressPercent,
          left: body.deliveries.estimatedSecondsLeft,
          rate: body.deliveries.sendRatePerSecond,
        });
        return body.status === 'sent' ? body : null;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the digest to be sent' },
    );
    const final = (await admin().get(`/admin/digests/${id}`).expect(200)).body.deliveries;
    expect(final).toMatchObject({
      progressPercent: 100,
      estimatedSecondsLeft: null,
      counts: { sent: SUBSCRIBERS, total: SUBSCRIBERS, queued: 0, sending: 0 },
    });
    expect(final.sendRatePerSecond).toBeGreaterThan(0);
    expect(Date.parse(final.finishedAt)).toBeGreaterThan(Date.parse(final.startedAt));

    const progress = seen.map((s) => s.progress);
    expect(progress.some((p) => p > 0 && p < 100)).toBe(true);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(seen.some((s) => s.progress > 0 && s.progress < 100 && s.left !== null && s.left > 0)).toBe(true);

    const list = (await admin().get('/admin/digests').expect(200)).body.items;
    expect(list.find((d: { id: string }) => d.id === id).deliveries.counts).toMatchObject({ sent: SUBSCRIBERS });
  }, 90_000);

  it('lists a digest’s deliveries by status with keyset pages, and refuses bad queries', async () => {
    reply = (address) =>
      address.endsWith('7@example.com') ? { code: 554, message: '5.7.1 Rejected by policy' } : undefined;
    const id = await insertApprovedDigest(app.dataSource, 'Listing digest');
    await app.dataSource.query(`UPDATE digests SET status = 'composed', approved_at = NULL WHERE id = $1`, [id]);
    await admin().post(`/admin/digests/${id}/approve`).expect(200);
    await waitFor(async () => (await digestStatus(app.dataSource, id)) === 'sent', { timeoutMs: 60_000, what: 'sent' });
    reply = () => undefined;

    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { status: 'sent', limit: '70', ...(cursor ? { cursor } : {}) };
      const { body } = await admin().get(`/admin/digests/${id}/deliveries`).query(query).expect(200);
      for (const item of body.items) {
        expect(item.status).toBe('sent');
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen.size).toBe(270);
    expect(pages).toBe(4);

    const failed = (await admin().get(`/admin/digests/${id}/deliveries?status=failed`).expect(200)).body.items;
    expect(failed).toHaveLength(30);
    expect(failed[0]).toMatchObject({
      status: 'failed',
      lastErrorCode: 554,
      lastError: '554 5.7.1 Rejected by policy',
      attempts: 1,
    });
    expect(failed[0].email).toMatch(/7@example\.com$/);

    const bad = async (path: string, status: number, message: RegExp) =>
      expect((await admin().get(path).expect(status)).body.message).toMatch(message);
    await bad(`/admin/digests/${id}/deliveries?cursor=page-2`, 400, /cursor is not valid/);
    await bad(
      `/admin/digests/${id}/deliveries?status=lost`,
      400,
      /status must be one of: queued, sending, retrying, sent, failed, bounced, skipped/,
    );
    await bad(`/admin/digests/${id}/deliveries?limit=0`, 400, /limit must be a whole number from 1 to 500/);
    await bad(`/admin/digests/${id}/deliveries?offset=10`, 400, /offset is not an accepted field|should not exist/);
    await bad('/admin/digests/not-a-uuid/deliveries', 400, /the digest id must be a UUID/);
    await bad('/admin/digests/00000000-0000-4000-8000-000000000000/deliveries', 404, /does not exist/);

    // Retry the failed ones over HTTP; then the subscriber's own history shows both outcomes.
    expect((await admin().post(`/admin/digests/${id}/retry-failed`).expect(200)).body).toEqual({
      digestId: id,
      affected: 30,
    });
    await waitFor(
      async () =>
        (await digestStatus(app.dataSource, id)) === 'sent' &&
        (await deliveryCounts(app.dataSource, id)).sent === SUBSCRIBERS,
      { what: 'the retried sends' },
    );
    const [subscriber] = await app.dataSource.query(
      `SELECT id FROM subscribers WHERE email = 'subscriber00007@example.com'`,
    );
    const history = (await admin().get(`/admin/subscribers/${subscriber.id}`).expect(200)).body.deliveries;
    expect(history).toEqual(
      expect.arrayContaining([expect.objectContaining({ digestId: id, status: 'sent', attempts: 2 })]),
    );
  }, 90_000);

  it('pauses, resumes and cancels over HTTP, refusing actions that do not fit the state', async () => {
    const id = await insertApprovedDigest(app.dataSource, 'Controlled digest');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin().post(`/admin/digests/${id}/pause`).expect(409)).body.message).toMatch(
      /is approved and cannot be paused/,
    );
    expect((await admin().post(`/admin/digests/${unknown}/resume`).expect(404)).body.message).toMatch(/does not exist/);
    await app.dataSource.query(`UPDATE digests SET status = 'composed', approved_at = NULL WHERE id = $1`, [id]);
    await admin().post(`/admin/digests/${id}/approve`).expect(200);
    await waitFor(async () => ((await deliveryCounts(app.dataSource, id)).sent ?? 0) >= 20, { what: '20 sent' });
    await admin().post(`/admin/digests/${id}/pause`).expect(200);
    expect((await admin().get(`/admin/digests/${id}`).expect(200)).body.deliveries.paused).toBe(true);
    expect((await admin().post(`/admin/digests/${id}/pause`).expect(409)).body.message).toMatch(/paused/);
    await admin().post(`/admin/digests/${id}/resume`).expect(200);
    const cancelled = (await admin().post(`/admin/digests/${id}/cancel`).send({ reason: 'wrong week' }).expect(200))
      .body;
    expect(cancelled.status).toBe('cancelled');
    await waitFor(async () => ((await deliveryCounts(app.dataSource, id)).sending ?? 0) === 0, {
      what: 'in-flight sends to finish',
    });
    const counts = await deliveryCounts(app.dataSource, id);
    expect((counts.sent ?? 0) + (counts.skipped ?? 0)).toBe(SUBSCRIBERS);
    expect(counts.skipped).toBeGreaterThan(0);
    expect((await admin().post(`/admin/digests/${id}/resume`).expect(409)).body.message).toMatch(/is cancelled/);
  }, 90_000);

  it('exposes digest mails and the last digest’s progress as metrics', async () => {
    const text = (await request(app.http).get('/metrics').expect(200)).text;
    const sent = Number(/tidings_mails_sent_total\{kind="digest"\} (\d+)/.exec(text)?.[1]);
    expect(sent).toBeGreaterThanOrEqual(2 * SUBSCRIBERS);
    expect(text).toMatch(/tidings_mails_failed_total\{kind="digest",reason="permanent"\} 30/);
    expect(text).toMatch(/tidings_digest_progress_ratio\{digest_id="[0-9a-f-]+"\} 1/);
  });
});
