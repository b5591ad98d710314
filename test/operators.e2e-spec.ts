import { createHash } from 'node:crypto';
import request from 'supertest';
import { createOperator, parseOperatorCliArgs } from '../src/operators/operator-cli.js';
import { FixtureServer, rss } from './fixtures/digests/posts.js';
import { operatorWithToken } from './support/operators.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const BOOTSTRAP = 'operators-bootstrap-token-0123456789abcdef';
const sha256 = (value: string) => createHash('sha256').update(value).digest();

describe('operators, personal tokens, the audit log and compose-now', () => {
  let feeds: FixtureServer;
  let app: TestApp;
  let viewer: { id: string; token: string; tokenId: string };
  let editor: { id: string; token: string; tokenId: string };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    feeds = await FixtureServer.start();
    app = await TestApp.start({
      env: {
        FEED_URLS: feeds.serve('/feed.xml', 'application/rss+xml', rss([])),
        ADMIN_TOKENS: BOOTSTRAP,
        OWNER_EMAIL: 'first.owner@example.org',
        DIGEST_APPROVAL: 'required',
      },
    });
    viewer = await operatorWithToken(app.http, BOOTSTRAP, 'viewer@example.org', 'viewer');
    editor = await operatorWithToken(app.http, BOOTSTRAP, 'editor@example.org', 'editor');
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  it('made OWNER_EMAIL the first owner at start', async () => {
    const { body } = await request(app.http).get('/admin/operators').set(as(BOOTSTRAP)).expect(200);
    expect(body[0]).toMatchObject({ email: 'first.owner@example.org', role: 'owner', disabledAt: null });
    expect(body.filter((o: { role: string }) => o.role === 'owner')).toHaveLength(1);
    const audit = await request(app.http).get('/admin/audit?action=operators.create').set(as(BOOTSTRAP)).expect(200);
    expect(audit.body.items.at(-1)).toMatchObject({ operator: 'OWNER_EMAIL', target: body[0].id, outcome: 'ok' });
  });

  it('shows a token once, keeps only its SHA-256, and a token carries its role', async () => {
    const { body: listed } = await request(app.http)
      .get(`/admin/operators/${viewer.id}/tokens`)
      .set(as(BOOTSTRAP))
      .expect(200);
    expect(listed).toEqual([expect.objectContaining({ id: viewer.tokenId, name: 'viewer token', revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(viewer.token);
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM operator_tokens WHERE token_hash = $1 AND operator_id = $2`,
      [sha256(viewer.token), viewer.id],
    );
    expect(n).toBe(1);
    await request(app.http).get('/admin/subscribers').set(as(viewer.token)).expect(200);
    const refused = await request(app.http).post('/admin/operators').set(as(editor.token)).send({});
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('operators.create needs the owner role; this token carries the editor role');
  });

  it('names the problem in bad operator and token input with a 400', async () => {
    const bad = await request(app.http)
      .post('/admin/operators')
      .set(as(BOOTSTRAP))
      .send({ email: 'nobody', role: 'admin' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/email must be an email address/);
    expect(JSON.stringify(bad.body)).toMatch(/role must be one of: viewer, editor, owner/);
    await request(app.http).post(`/admin/operators/${viewer.id}/tokens`).set(as(BOOTSTRAP)).send({}).expect(400);
    const taken = await request(app.http)
      .post('/admin/operators')
      .set(as(BOOTSTRAP))
      .send({ email: 'VIEWER@example.org', role: 'viewer' });
    expect(taken.status).toBe(409);
  });

  it('stops a revoked token, and every token of a disabled operator, at the next request', async () => {
    const other = await operatorWithToken(app.http, BOOTSTRAP, 'leaver@example.org', 'editor');
    const second = await request(app.http)
      .post(`/admin/operators/${other.id}/tokens`)
      .set(as(BOOTSTRAP))
      .send({ name: 'laptop' })
      .expect(201);
    await request(app.http).get('/admin/posts').set(as(other.token)).expect(200);
    await request(app.http)
      .delete(`/admin/operators/${other.id}/tokens/${other.tokenId}`)
      .set(as(BOOTSTRAP))
      .expect(200);
    await request(app.http).get('/admin/posts').set(as(other.token)).expect(401);
    await request(app.http).get('/admin/posts').set(as(second.body.token)).expect(200);
    const disabled = await request(app.http)
      .patch(`/admin/operators/${other.id}`)
      .set(as(BOOTSTRAP))
      .send({ disabled: true })
      .expect(200);
    expect(disabled.body).toMatchObject({ id: other.id, disabledAt: expect.any(String) });
    await request(app.http).get('/admin/posts').set(as(second.body.token)).expect(401);
  });

  it('refuses to take away the last enabled owner', async () => {
    const { body } = await request(app.http).get('/admin/operators').set(as(BOOTSTRAP)).expect(200);
    const owner = body.find((o: { role: string }) => o.role === 'owner');
    const response = await request(app.http)
      .patch(`/admin/operators/${owner.id}`)
      .set(as(BOOTSTRAP))
      .send({ role: 'viewer' });
    expect(response.status).toBe(409);
    expect(response.body.message).toMatch(/no enabled owner/);

    // Two owners demoting each other at the same instant: one change passes, the other is refused.
    const second = await request(app.http)
      .post('/admin/operators')
      .set(as(BOOTSTRAP))
      .send({ email: 'second.owner@example.org', role: 'owner' })
      .expect(201);
    const answers = await Promise.all(
      [owner.id, second.body.id].map((id: string) =>
        request(app.http).patch(`/admin/operators/${id}`).set(as(BOOTSTRAP)).send({ role: 'viewer' }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const [{ n }] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM operators WHERE role = 'owner' AND disabled_at IS NULL`,
    );
    expect(n).toBe(1);
  });

  it('composes the current period at once, and answers 409 naming the digest the second time', async () => {
    const first = await request(app.http).post('/admin/digests/compose').set(as(editor.token)).expect(201);
    expect(first.body.id).toEqual(expect.any(String));
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM digests`);
    expect(n).toBe(1);
    const second = await request(app.http).post('/admin/digests/compose').set(as(editor.token));
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(first.body.id);
    await request(app.http).post('/admin/digests/compose').set(as(viewer.token)).expect(403);
  });

  it('records who did what, from where and how it ended, filterable and keyset-paged', async () => {
    const since = new Date().toISOString();
    await request(app.http).post('/admin/feeds/poll').set(as(viewer.token)).expect(403);
    await request(app.http)
      .post('/admin/feeds/5b0f7c2e-2f7a-4c3e-9d53-1f1e2d3c4b5a/disable')
      .set(as(editor.token))
      .expect(404);
    await request(app.http).get('/admin/subscribers/export').set(as(BOOTSTRAP)).expect(200);

    // A streamed export is recorded once its response has finished, which may be just after the client has it all.
    const body = await waitFor(
      async () => {
        const page = await request(app.http).get(`/admin/audit?since=${since}`).set(as(viewer.token)).expect(200);
        return page.body.items.length >= 3 ? page.body : null;
      },
      { what: 'the three audit rows' },
    );
    expect(body.items.map((r: { action: string; outcome: string }) => [r.action, r.outcome])).toEqual([
      ['subscribers.export', 'ok'],
      ['feeds.disable', 'failed'],
      ['feeds.poll', 'refused'],
    ]);
    expect(body.items[1]).toMatchObject({
      operatorId: editor.id,
      operator: 'editor@example.org',
      target: '5b0f7c2e-2f7a-4c3e-9d53-1f1e2d3c4b5a',
      status: 404,
      ip: expect.stringMatching(/127\.0\.0\.1$/),
    });
    expect(body.items[0]).toMatchObject({ operatorId: null, operator: 'ADMIN_TOKENS', status: 200 });

    const composes = await request(app.http)
      .get(`/admin/audit?operatorId=${editor.id}&action=digests.compose`)
      .set(as(viewer.token))
      .expect(200);
    expect(composes.body.items.map((r: { outcome: string }) => r.outcome)).toEqual(['failed', 'ok']);
    const tokens = await request(app.http).get('/admin/audit?action=operators.issueToken').set(as(viewer.token));
    expect(tokens.body.items.length).toBeGreaterThanOrEqual(3);
    expect(tokens.text).not.toContain(viewer.token);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: request.Response = await request(app.http)
        .get(`/admin/audit?limit=2&since=${since}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(as(viewer.token))
        .expect(200);
      seen.push(...page.body.items.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(body.items.map((r: { id: string }) => r.id));

    const bad = await request(app.http).get('/admin/audit?since=yesterday&limit=0').set(as(viewer.token));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/since must be an ISO 8601/);
  });

  it('keeps the audit log append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    await expect(app.dataSource.query(`UPDATE audit_log SET outcome = 'ok'`)).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(app.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(n).toBeGreaterThan(5);
  });

  it('operator:create adds an operator whose printed token works, and refuses the same address twice', async () => {
    const options = parseOperatorCliArgs(['--email', 'cli@example.org', '--role', 'editor']);
    const printed = await createOperator(app.dataSource, options);
    const token = /token \(shown this once, keep it secret\): (tid_\S+)/.exec(printed)?.[1] ?? '';
    const operator = await request(app.http).get('/admin/posts').set(as(token));
    expect(operator.status).toBe(200);
    await expect(createOperator(app.dataSource, options)).rejects.toThrow('cli@example.org is already an operator');
    const audit = await request(app.http).get('/admin/audit?action=operators.create').set(as(BOOTSTRAP)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ operator: 'operator:create', ip: null, outcome: 'ok' });
  });
});
