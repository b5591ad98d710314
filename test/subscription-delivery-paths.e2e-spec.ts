import { simpleParser } from 'mailparser';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('subscribe form from the blog, and mail without SMTP', () => {
  it('answers CORS preflights for configured origins only', async () => {
    const app = await TestApp.start({ env: { CORS_ORIGINS: 'https://www.bhmpc.com,https://blog.bhmpc.com' } });
    try {
      const allowed = await request(app.http)
        .options('/subscribe')
        .set('Origin', 'https://blog.bhmpc.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');
      expect(allowed.status).toBeLessThan(300);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://blog.bhmpc.com');
      expect(allowed.headers['access-control-allow-methods']).toMatch(/POST/);
      const other = await request(app.http)
        .options('/subscribe')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const post = await request(app.http)
        .post('/subscribe')
        .set('Origin', 'https://www.bhmpc.com')
        .send({ email: 'cors@example.com', consent: true })
        .expect(200);
      expect(post.headers['access-control-allow-origin']).toBe('https://www.bhmpc.com');
    } finally {
      await app.close();
    }
  });

  it('writes mail as .eml files to the outbox when no SMTP_URL is set', async () => {
    const outbox = await mkdtemp(path.join(tmpdir(), 'tidings-outbox-'));
    const app = await TestApp.start({ env: { OUTBOX_DIR: outbox } });
    try {
      await request(app.http)
        .post('/subscribe')
        .type('form')
        .send({ email: 'outbox@example.com', consent: 'yes' })
        .expect(200);
      const [file] = await waitFor(async () => ((await readdir(outbox)).length ? readdir(outbox) : null), {
        what: 'an .eml file in the outbox',
      });
      expect(file).toMatch(/\.eml$/);
      const mail = await simpleParser(await readFile(path.join(outbox, file)));
      expect((mail.to as { text: string }).text).toBe('outbox@example.com');
      expect(mail.html).toContain(`${app.url}/confirm/`);
      expect(mail.text).toContain('1-888-831-1171');
    } finally {
      await app.close();
    }
  });
});
