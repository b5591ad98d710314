import request from 'supertest';
import { INVALID_ADDRESSES } from './fixtures/invalid-addresses.js';
import { TestApp } from './support/test-app.js';

describe('POST /subscribe refuses bad input with a clear 4xx and writes nothing', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app?.close();
  });

  const valid = { email: 'subscriber@example.com', name: 'Subscriber', consent: 'yes', website: '' };
  const post = () => request(app.http).post('/subscribe');

  afterEach(async () => {
    const [counts] = await app.dataSource.query(
      `SELECT (SELECT count(*) FROM subscribers)::int AS subscribers, (SELECT count(*) FROM consent_events)::int AS events, (SELECT count(*) FROM confirmation_tokens)::int AS tokens`,
    );
    expect(counts).toEqual({ subscribers: 0, events: 0, tokens: 0 });
  });

  it.each(INVALID_ADDRESSES)('refuses an address with %s', async (_kind, email, reason) => {
    const response = await post()
      .send({ ...valid, email })
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.body.message).toMatch(/^email /);
    expect(response.body.message).toMatch(reason);
  });

  it('refuses a missing address', async () => {
    const response = await post().send({ consent: 'yes' }).expect(400);
    expect(response.body.message).toMatch(/email is required/);
  });

  it('refuses a missing or refused consent', async () => {
    expect((await post().send({ email: 'subscriber@example.com' }).expect(400)).body.message).toMatch(
      /consent is required/,
    );
    expect(
      (
        await post()
          .send({ ...valid, consent: 'no' })
          .expect(400)
      ).body.message,
    ).toMatch(/consent must be given/);
  });

  it('refuses a filled honeypot', async () => {
    const response = await post()
      .type('form')
      .send({ ...valid, website: 'http://spam.example' })
      .expect(400);
    expect(response.text).toMatch(/website must be left empty/);
  });

  it('refuses CR/LF and links in the name', async () => {
    expect(
      (
        await post()
          .send({ ...valid, name: 'Eve\r\nBcc: all@example.com' })
          .expect(400)
      ).body.message,
    ).toMatch(/name must not contain line breaks/);
    expect(
      (
        await post()
          .send({ ...valid, name: 'Cheap pills https://spam.example' })
          .expect(400)
      ).body.message,
    ).toMatch(/name must not contain links/);
    expect(
      (
        await post()
          .send({ ...valid, name: 'x'.repeat(10_000) })
          .expect(400)
      ).body.message,
    ).toMatch(/name is too long/);
  });

  it('refuses a field it does not know and an unknown form version', async () => {
    expect(
      (
        await post()
          .send({ ...valid, isAdmin: true })
          .expect(400)
      ).body.message,
    ).toMatch(/isAdmin is not an accepted field/);
    expect(
      (
        await post()
          .send({ ...valid, formVersion: 'v0' })
          .expect(400)
      ).body.message,
    ).toMatch(/formVersion must be one of/);
  });

  it('refuses a wrong content type', async () => {
    const response = await post()
      .set('Content-Type', 'text/plain')
      .send('email=subscriber@example.com&consent=yes')
      .expect(415);
    expect(response.body.message).toMatch(
      /Content-Type must be application\/x-www-form-urlencoded or application\/json/,
    );
    await post().field('email', 'subscriber@example.com').field('consent', 'yes').expect(415);
  });

  it('refuses an oversized body', async () => {
    const response = await post()
      .send({ ...valid, name: 'x'.repeat(64 * 1024) })
      .expect(413);
    expect(response.body.message).toMatch(/request body is too large \(at most 16kb\)/);
  });

  it('refuses malformed JSON', async () => {
    const response = await post()
      .set('Content-Type', 'application/json')
      .send('{"email": "subscriber@example.com",')
      .expect(400);
    expect(response.body.message).toBe('request body is not valid JSON');
  });

  it('answers a browser form with an HTML page that names the problem', async () => {
    const response = await post()
      .type('form')
      .set('Accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8')
      .send({ email: 'subscriber@exаmple.com', consent: 'yes' })
      .expect(400)
      .expect('Content-Type', /html/);
    expect(response.text).toMatch(/email must use plain ASCII letters/);
  });
});
