import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { TestApp } from './support/test-app.js';

const TOKEN = 'private-responses-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
/** A cursor of the right encoding whose content this service never handed out. */
const crafted = Buffer.from(JSON.stringify(['2025-01-01 00:00:00', "'; DROP TABLE digests; --"])).toString('base64url');

describe('responses that must stay private, and crafted admin cursors', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN }, role: { workers: false } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('sends Cache-Control: no-store on admin responses and on pages reached by a personal token', async () => {
    const admin = await request(app.http).get('/admin/digests').set(auth).expect(200);
    expect(admin.headers['cache-control']).toBe('no-store');
    const refused = await request(app.http).get('/admin/digests').expect(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const token = 'A'.repeat(43);
    for (const path of [`/unsubscribe/${token}`, `/confirm/${token}`, `/manage/${token}`]) {
      const page = await request(app.http).get(path);
      expect({ path, cacheControl: page.headers['cache-control'] }).toEqual({ path, cacheControl: 'no-store' });
    }
  });

  it('leaves public pages cacheable', async () => {
    const archive = await request(app.http).get('/archive').expect(200);
    expect(archive.headers['cache-control'] ?? '').not.toContain('no-store');
  });

  it.each([
    ['/admin/digests', crafted],
    ['/admin/subscribers', crafted],
    ['/admin/posts', crafted],
    ['/admin/events', 'e1; DROP'],
    [`/admin/digests/${randomUUID()}/deliveries`, 'd-1'],
    ['/admin/digests', 'not base64 at all!'],
  ])('answers a crafted cursor on %s with a 400 that names it', async (path, cursor) => {
    const response = await request(app.http).get(path).query({ cursor }).set(auth);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/cursor/);
  });
});
