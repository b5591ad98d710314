import request from 'supertest';
import { Post } from '../src/posts/post.entity.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'a'.repeat(40);

describe('admin API for posts and feeds', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Nothing is polled here: the feed URL only has to be valid.
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN, FEED_URLS: 'http://127.0.0.1:9/feed.xml' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const admin = () => ({
    get: (path: string) => request(app.http).get(path).auth(TOKEN, { type: 'bearer' }),
    post: (path: string) => request(app.http).post(path).auth(TOKEN, { type: 'bearer' }),
  });
  const rows = () => app.dataSource.getRepository(Post).count();
  const valid = {
    url: 'https://www.bhmpc.com/2025/11/hand-added/',
    title: 'Learn how patients and providers use social media',
    publishedAt: '2025-11-03T14:00:00Z',
  };

  it('refuses every admin route without a valid bearer token', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const routes: [method: 'get' | 'post', path: string][] = [
      ['get', '/admin/posts'],
      ['post', '/admin/posts'],
      ['post', `/admin/posts/${id}/hide`],
      ['post', `/admin/posts/${id}/unhide`],
      ['get', '/admin/feeds'],
      ['post', '/admin/feeds/poll'],
    ];
    for (const [method, path] of routes) {
      const anonymous = await request(app.http)[method](path).send(valid);
      expect([path, anonymous.status]).toEqual([path, 401]);
      expect(anonymous.headers['www-authenticate']).toContain('Bearer');
      expect((await request(app.http)[method](path).auth('x'.repeat(40), { type: 'bearer' }).send(valid)).status).toBe(
        401,
      );
    }
    expect(await rows()).toBe(0);
  });

  it('refuses a bad post with 400 and a message naming the problem, writing nothing', async () => {
    const cases: [body: Record<string, unknown>, message: RegExp][] = [
      [{ ...valid, url: 'javascript:alert(1)' }, /url must be an absolute http\(s\) URL/],
      [{ ...valid, url: 'ftp://www.bhmpc.com/file' }, /url must be an absolute http\(s\) URL/],
      [{ ...valid, url: undefined }, /url is required/],
      [{ ...valid, title: undefined }, /title is required/],
      [{ ...valid, title: '   ' }, /title must not be empty/],
      [{ ...valid, title: 'x'.repeat(501) }, /title must be at most 500 characters/],
      [{ ...valid, publishedAt: 'last Tuesday' }, /publishedAt must be an ISO 8601 date/],
      [{ ...valid, publishedAt: undefined }, /publishedAt is required/],
      [{ ...valid, imageUrl: 'data:image/png;base64,AAAA' }, /imageUrl must be an absolute http\(s\) URL/],
      [{ ...valid, categories: 'Accreditation' }, /categories must be a list/],
      [{ ...valid, hidden: true }, /hidden is not an accepted field/],
    ];
    for (const [body, message] of cases) {
      const response = await admin().post('/admin/posts').send(body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(message),
      });
    }
    expect(await rows()).toBe(0);
  });

  it('adds a post by hand, once per URL', async () => {
    const response = await admin()
      .post('/admin/posts')
      .send({
        ...valid,
        summary: '  Social media has become a necessity.\n\nSee how. ',
        imageUrl: 'https://www.bhmpc.com/social.jpg',
        author: 'BHM Healthcare Solutions',
        categories: ['Healthcare Social Media'],
      })
      .expect(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      feedId: null,
      guid: valid.url,
      url: valid.url,
      title: valid.title,
      summary: 'Social media has become a necessity. See how.',
      imageUrl: 'https://www.bhmpc.com/social.jpg',
      author: 'BHM Healthcare Solutions',
      categories: ['Healthcare Social Media'],
      publishedAt: '2025-11-03T14:00:00.000Z',
      hidden: false,
      scheduled: false,
    });
    const again = await admin().post('/admin/posts').send(valid).expect(409);
    expect(again.body.message).toContain('already been added');
    expect(await rows()).toBe(1);
  });

  it('hides and unhides a post, with 404 for an unknown id and 400 for a malformed one', async () => {
    const post = await app.dataSource.getRepository(Post).findOneByOrFail({ url: valid.url });
    expect((await admin().post(`/admin/posts/${post.id}/hide`).expect(200)).body).toMatchObject({
      id: post.id,
      hidden: true,
    });
    expect((await app.dataSource.getRepository(Post).findOneByOrFail({ id: post.id })).hidden).toBe(true);
    expect((await admin().post(`/admin/posts/${post.id}/unhide`).expect(200)).body).toMatchObject({
      id: post.id,
      hidden: false,
    });
    expect((await app.dataSource.getRepository(Post).findOneByOrFail({ id: post.id })).hidden).toBe(false);

    const unknown = await admin().post('/admin/posts/6f1c1a52-2b8e-4a53-9a84-0b5d1c7e9f00/hide').expect(404);
    expect(unknown.body.message).toBe('no post has the id 6f1c1a52-2b8e-4a53-9a84-0b5d1c7e9f00');
    expect((await admin().post('/admin/posts/not-a-uuid/unhide').expect(400)).body.message).toBe(
      'the post id must be a UUID',
    );
  });

  it('lists posts newest first, filtered by period and hidden flag, in bounded pages that neither skip nor repeat', async () => {
    // Seven more posts, two of them at the same instant, one hidden, one in the future.
    const dates = [
      '2025-10-01T08:00:00Z',
      '2025-10-08T08:00:00Z',
      '2025-10-08T08:00:00Z',
      '2025-10-15T08:00:00Z',
      '2025-10-22T08:00:00Z',
      '2025-10-29T08:00:00Z',
      '2099-01-01T00:00:00Z',
    ];
    for (const [index, publishedAt] of dates.entries()) {
      await admin()
        .post('/admin/posts')
        .send({ url: `https://www.bhmpc.com/p/${index}/`, title: `Post ${index}`, publishedAt })
        .expect(201);
    }
    const hidden = await app.dataSource.getRepository(Post).findOneByOrFail({ url: 'https://www.bhmpc.com/p/4/' });
    await admin().post(`/admin/posts/${hidden.id}/hide`).expect(200);

    const all = (await admin().get('/admin/posts').expect(200)).body;
    expect(all.nextCursor).toBeNull();
    expect(all.items).toHaveLength(8);
    expect(all.items[0]).toMatchObject({ title: 'Post 6', scheduled: true });
    const times = all.items.map((item: { publishedAt: string }) => Date.parse(item.publishedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await admin()
          .get('/admin/posts')
          .query({ limit: 3, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((item: { id: string }) => item.id));

    const october = (
      await admin().get('/admin/posts').query({ from: '2025-10-08', to: '2025-10-22T08:00:00Z' }).expect(200)
    ).body.items.map((item: { title: string }) => item.title);
    expect(october.sort()).toEqual(['Post 1', 'Post 2', 'Post 3']);
    expect(
      (await admin().get('/admin/posts').query({ hidden: 'true' }).expect(200)).body.items.map(
        (item: { id: string }) => item.id,
      ),
    ).toEqual([hidden.id]);
    expect((await admin().get('/admin/posts').query({ hidden: 'false' }).expect(200)).body.items).toHaveLength(7);
    expect(
      (await admin().get('/admin/posts').query({ feedId: '6f1c1a52-2b8e-4a53-9a84-0b5d1c7e9f00' }).expect(200)).body
        .items,
    ).toEqual([]);

    expect((await admin().get('/admin/posts').query({ limit: 101 }).expect(400)).body.message).toBe(
      'limit must be a whole number from 1 to 100',
    );
    expect((await admin().get('/admin/posts').query({ from: 'yesterday' }).expect(400)).body.message).toMatch(
      /from must be an ISO 8601 date/,
    );
    expect((await admin().get('/admin/posts').query({ cursor: 'garbage' }).expect(400)).body.message).toMatch(
      /cursor is not valid/,
    );
    expect((await admin().get('/admin/posts').query({ feedId: 'manual' }).expect(400)).body.message).toBe(
      'feedId must be a UUID',
    );
  });

  it('shows each configured feed, never polled yet', async () => {
    const feeds = (await admin().get('/admin/feeds').expect(200)).body.feeds;
    expect(feeds).toEqual([
      expect.objectContaining({
        url: 'http://127.0.0.1:9/feed.xml',
        configured: true,
        status: 'never-polled',
        lastSuccessAt: null,
        lastError: null,
      }),
    ]);
  });
});
