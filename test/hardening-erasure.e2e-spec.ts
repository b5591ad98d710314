import { createHash, createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { LinkTokens } from '../src/subscribers/link-tokens.js';
import { insertApprovedDigest } from './support/digest-fixtures.js';
import { linkTokenOf } from './support/links.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'erasure-test-admin-token-0123456789abcdef';
const PENDING = 'pending.trace@example.com';
const CONFIRMED = 'confirmed.trace@example.com';

describe('erasure leaves no trace of the address', () => {
  const logs: string[] = [];
  let smtp: SmtpSink;
  let app: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: string | Uint8Array, ...rest: never[]) => {
        logs.push(chunk.toString());
        return write(chunk, ...rest);
      };
    }
    smtp = await SmtpSink.start({
      onRecipient: (address) => ({
        code: 550,
        message: `5.1.1 <${address}>: Recipient address rejected: User unknown`,
      }),
    });
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        ADMIN_TOKENS: TOKEN,
        LOG_LEVEL: 'verbose',
        LOG_FORMAT: 'json',
        DELIVERY_BACKOFF_MS: '20',
      },
    });
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  });

  afterAll(async () => {
    redis?.disconnect();
    await app?.close();
    await smtp?.close();
  });

  async function databaseDump(): Promise<string> {
    const tables: { name: string }[] = await app.dataSource.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    let dump = '';
    for (const { name } of tables) {
      const [row] = await app.dataSource.query(
        `SELECT coalesce(string_agg(t::text, ' '), '') AS text FROM "${name}" t`,
      );
      dump += row.text;
    }
    return dump;
  }

  async function redisDump(): Promise<string> {
    const keys = await redis.keys(`${app.config.redis.prefix}:*`);
    let dump = keys.join(' ');
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'string') dump += await redis.get(key);
      if (type === 'hash') dump += JSON.stringify(await redis.hgetall(key));
      if (type === 'list') dump += (await redis.lrange(key, 0, -1)).join(' ');
      if (type === 'zset' || type === 'set')
        dump += (type === 'set' ? await redis.smembers(key) : await redis.zrange(key, '0', '-1')).join(' ');
    }
    return dump;
  }

  it('scrubs bounces from the deliveries, the logs and Redis, and keeps the suppression as a keyed HMAC', async () => {
    // A pending subscriber whose confirmation mail bounced: a failed job in Redis.
    await request(app.http).post('/subscribe').send({ email: PENDING, consent: 'yes' }).expect(200);
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    // A confirmed subscriber whose digest bounced, with a reply as older versions stored it, unredacted.
    await app.dataSource.query(
      `INSERT INTO subscribers (email, status, confirmed_at) VALUES ($1, 'confirmed', now())`,
      [CONFIRMED],
    );
    const digestId = await insertApprovedDigest(app.dataSource);
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(
      async () =>
        (await app.dataSource.query(`SELECT 1 FROM deliveries WHERE digest_id = $1 AND status = 'bounced'`, [digestId]))
          .length === 1,
      { what: 'the digest to bounce' },
    );
    await app.dataSource.query(`UPDATE deliveries SET last_error = $1 WHERE digest_id = $2`, [
      `550 5.1.1 <${CONFIRMED}>: User unknown`,
      digestId,
    ]);
    // What is checked below exists: the failed confirmation job, and the bounce's log line.
    expect(await redisDump()).toContain('confirmation-');
    // The failed job names its token by id; neither the token nor the subscriber's link token is in Redis or the database.
    const [{ id: tokenId }] = await app.dataSource.query(`SELECT id FROM confirmation_tokens`);
    const confirmToken = app.get(LinkTokens).confirmationToken(tokenId);
    const linkToken = await linkTokenOf(app, PENDING);
    expect(await redisDump()).toContain(tokenId);
    for (const secret of [confirmToken, linkToken]) {
      expect(await redisDump()).not.toContain(secret);
      expect(await databaseDump()).not.toContain(secret);
    }
    expect(logs.join('')).toMatch(/delivery \S+ bounced: 550 5\.1\.1 <address>/);

    const ids: { id: string }[] = await app.dataSource.query(`SELECT id FROM subscribers`);
    for (const { id } of ids)
      await request(app.http).delete(`/admin/subscribers/${id}`).set('Authorization', `Bearer ${TOKEN}`).expect(204);

    for (const address of [PENDING, CONFIRMED]) {
      const local = address.split('@')[0];
      expect(await databaseDump()).not.toContain(local);
      expect(await redisDump()).not.toContain(local);
      expect(logs.join('')).not.toContain(local);
    }
    const [delivery] = await app.dataSource.query(`SELECT last_error FROM deliveries WHERE digest_id = $1`, [digestId]);
    expect(delivery.last_error).toBe('550 5.1.1 <address>: User unknown');

    const key = app.config.subscriptions.suppressionKey;
    const hashes: { email_hash: Buffer; keyed: boolean }[] = await app.dataSource.query(
      `SELECT email_hash, keyed FROM suppressions`,
    );
    const expected = [PENDING, CONFIRMED].map((a) => createHmac('sha256', key).update(a).digest().toString('hex'));
    expect(hashes.map((h) => h.email_hash.toString('hex')).sort()).toEqual(expected.sort());
    expect(hashes.every((h) => h.keyed)).toBe(true);
  });

  it('still refuses an address erased before the key existed (an unkeyed SHA-256 row)', async () => {
    const legacy = createHash('sha256').update('old.erasure@example.com').digest();
    await app.dataSource.query(`INSERT INTO suppressions (email_hash, reason, keyed) VALUES ($1, 'erased', false)`, [
      legacy,
    ]);
    const refused = await request(app.http)
      .post('/admin/subscribers/import')
      .set('Authorization', `Bearer ${TOKEN}`)
      .type('text/csv')
      .send('email\nold.erasure@example.com\n')
      .expect(200);
    expect(refused.body).toMatchObject({ imported: 0, suppressed: 1 });
  });
});
