import request from 'supertest';
import { concretePath, type RegisteredRoute, registeredRoutes } from './support/route-walker.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'a'.repeat(40);
const OTHER_TOKEN = 'b'.repeat(40);

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
});
