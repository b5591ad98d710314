import request from 'supertest';
import { type AdminRole, roleAtLeast } from '../src/common/admin-role.js';
import { databaseFingerprint, operatorWithToken } from './support/operators.js';
import { concretePath, type RegisteredRoute, registeredRoutes } from './support/route-walker.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'a'.repeat(40);
const OTHER_TOKEN = 'b'.repeat(40);

/** The least role each admin route needs, as the issue sets it out: written here apart from the code's decorators. */
function expectedRole(route: RegisteredRoute): AdminRole {
  if (route.path.startsWith('/admin/operators')) return 'owner';
  if (route.method === 'get') return route.path.endsWith('/export') ? 'owner' : 'viewer';
  return /^\/admin\/(digests|posts|feeds)(\/|$)/.test(route.path) ? 'editor' : 'owner';
}

describe('every /admin route needs an admin bearer token', () => {
  let app: TestApp;
  let adminRoutes: RegisteredRoute[];

  beforeAll(async () => {
    app = await TestApp.start({ env: { ADMIN_TOKENS: `${OTHER_TOKEN},${TOKEN}` } });
    adminRoutes = registeredRoutes(app.app).filter(
      (route) => route.path === '/admin' || route.path.startsWith('/admin/'),
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  const call = (route: RegisteredRoute) => {
    const method = (route.method === 'all' ? 'get' : route.method) as 'get' | 'post' | 'put' | 'patch' | 'delete';
    return request(app.http)[method](concretePath(route.path));
  };

  it('finds at least a dozen admin routes, so the walk cannot pass by finding nothing', () => {
    expect(adminRoutes.length).toBeGreaterThanOrEqual(12);
    expect(adminRoutes).toEqual(
      expect.arrayContaining([
        { method: 'get', path: '/admin/subscribers' },
        { method: 'get', path: '/admin/queues' },
      ]),
    );
  });

  it('answers 401 to every admin route without a token, with a wrong one, and with a malformed header', async () => {
    const refusals: string[] = [];
    for (const route of adminRoutes) {
      const attempts = [
        ['no token', call(route)],
        ['a wrong token', call(route).set('Authorization', `Bearer ${'c'.repeat(40)}`)],
        ['a token prefix', call(route).set('Authorization', `Bearer ${TOKEN.slice(0, -1)}`)],
        [
          'another scheme',
          call(route).set('Authorization', `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`),
        ],
      ] as const;
      for (const [what, attempt] of attempts) {
        const response = await attempt;
        const ok =
          response.status === 401 &&
          response.headers['www-authenticate'] === 'Bearer realm="tidings-admin"' &&
          response.body.statusCode === 401 &&
          response.body.error === 'Unauthorized' &&
          typeof response.body.message === 'string';
        if (!ok)
          refusals.push(
            `${route.method.toUpperCase()} ${route.path} with ${what}: ${response.status} ${response.text.slice(0, 200)}`,
          );
      }
    }
    expect(refusals).toEqual([]);
  });

  it('lets a valid token through, whichever of the configured tokens it is', async () => {
    await request(app.http).get('/admin/subscribers').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    await request(app.http).get('/admin/queues').set('Authorization', `bearer ${OTHER_TOKEN}`).expect(200);
  });

  it('never echoes a presented token back', async () => {
    const presented = 'd'.repeat(40);
    for (const route of adminRoutes) {
      const response = await call(route).set('Authorization', `Bearer ${presented}`);
      expect(response.text).not.toContain(presented);
    }
  });

  describe('roles', () => {
    const tokens = {} as Record<'viewer' | 'editor', string>;

    beforeAll(async () => {
      for (const role of ['viewer', 'editor'] as const)
        tokens[role] = (await operatorWithToken(app.http, TOKEN, `${role}@example.org`, role)).token;
    });

    it('refuses a viewer every change, and every export, with 403, and nothing in the database changes', async () => {
      const before = await databaseFingerprint(app.dataSource);
      const wrong: string[] = [];
      const refused = adminRoutes.filter((route) => expectedRole(route) !== 'viewer');
      expect(refused.length).toBeGreaterThanOrEqual(15);
      for (const route of refused) {
        const response = await call(route).set('Authorization', `Bearer ${tokens.viewer}`).send({});
        const ok = response.status === 403 && /needs the (editor|owner) role/.test(response.body.message);
        if (!ok)
          wrong.push(`${route.method.toUpperCase()} ${route.path}: ${response.status} ${response.text.slice(0, 200)}`);
      }
      expect(wrong).toEqual([]);
      expect(await databaseFingerprint(app.dataSource)).toEqual(before);
    });

    it('lets each role through exactly where its role reaches: 403 below, never 401 or 403 at or above', async () => {
      const wrong: string[] = [];
      for (const role of ['viewer', 'editor'] as const) {
        // The viewer's refusals were walked above; its reads are walked here.
        // Not the feed poll: it would fetch the configured feed from the internet.
        const walked = adminRoutes.filter(
          (r) => (role === 'editor' || expectedRole(r) === 'viewer') && r.path !== '/admin/feeds/poll',
        );
        for (const route of walked) {
          const response = await call(route).set('Authorization', `Bearer ${tokens[role]}`).send({});
          const allowed = roleAtLeast(role, expectedRole(route));
          const ok = allowed ? ![401, 403].includes(response.status) : response.status === 403;
          if (!ok) wrong.push(`${role} ${route.method.toUpperCase()} ${route.path}: ${response.status}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  });
});
