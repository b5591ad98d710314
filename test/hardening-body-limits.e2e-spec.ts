import http from 'node:http';
import request from 'supertest';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { TestApp } from './support/test-app.js';

/**
 * Streams a multipart body of `megabytes` fields of 960 kB each (just under busboy's own 1 MB
 * default, so that only our limits stop it), chunked (no Content-Length), reusing one buffer.
 */
function floodOneClick(url: string, path: string, megabytes: number): Promise<{ status: number; body: string }> {
  const boundary = 'flood-boundary';
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (part: Buffer) => (body += part.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const write = async () => {
      for (let field = 0; field < megabytes && !req.destroyed; field++) {
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="f${field}"\r\n\r\n`);
        for (let i = 0; i < 15; i++) if (!req.write(chunk)) await new Promise((done) => req.once('drain', done));
        req.write('\r\n');
      }
      req.end(`--${boundary}--\r\n`);
    };
    write().catch(reject);
  });
}

describe('request bodies are bounded before and while they are read', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ env: { TRUST_PROXY: '1' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a made-up one-click token before reading its multipart body', async () => {
    const response = await floodOneClick(app.url, '/unsubscribe/not-a-token/one-click', 8);
    expect(response.status).toBe(404);
  });

  it('refuses a declared multipart body above BODY_LIMIT with a 413', async () => {
    const response = await request(app.http)
      .post(`/unsubscribe/${'a'.repeat(43)}/one-click`)
      .field('List-Unsubscribe', 'One-Click')
      .field('padding', 'x'.repeat(20 * 1024))
      .expect(413);
    expect(response.body.message).toMatch(/at most 16kb/);
  });

  it('holds no more than a few BODY_LIMITs while a 128 MB multipart body streams in as 128 fields (memory bound: 5 fields of BODY_LIMIT)', async () => {
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }, 5);
    try {
      const response = await floodOneClick(app.url, `/unsubscribe/${'a'.repeat(43)}/one-click`, 128);
      expect(response.status).toBe(400);
      expect(response.body).toMatch(/Field value too long/);
    } finally {
      clearInterval(sampler);
    }
    // Unbounded, multer keeps every field (up to 1000 of 1 MB): over 120 MB here. What is left under
    // the bound is garbage of the socket reads that the collector has not reclaimed yet.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });

  it('with TRUST_PROXY=1 records the address the one proxy saw, not what the client wrote before it', async () => {
    await request(app.http)
      .post('/subscribe')
      .set('X-Forwarded-For', '6.6.6.6, 203.0.113.7')
      .send({ email: 'proxied@example.com', consent: 'yes' })
      .expect(200);
    const subscriber = await app.dataSource.getRepository(Subscriber).findOneByOrFail({ email: 'proxied@example.com' });
    const [event] = await app.dataSource.query(`SELECT ip FROM consent_events WHERE subscriber_id = $1`, [
      subscriber.id,
    ]);
    expect(event.ip).toBe('203.0.113.7');
  });
});
