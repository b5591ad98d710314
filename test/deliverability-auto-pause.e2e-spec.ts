import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { deliveryCounts, insertApprovedDigest, insertConfirmedSubscribers } from './support/digest-fixtures.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const KEY = 'mailgun-signing-key-0123456789';

describe('automatic pause', () => {
  it('pauses a 2,000-subscriber send when 8 % come back as asynchronous bounces, with the reason shown', async () => {
    const smtp = await SmtpSink.start();
    // A paced send, so the bounces arrive while it is still going, as they do in production.
    const app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        MAILGUN_WEBHOOK_SIGNING_KEY: KEY,
        DELIVERY_RATE_PER_SECOND: '100',
        ADMIN_TOKENS: 'admin-token-0123456789abcdef0123',
      },
    });
    try {
      await insertConfirmedSubscribers(app.dataSource, 2000);
      const digestId = await insertApprovedDigest(app.dataSource);
      await app.get(FanOutService).fanOut(digestId);
      await waitFor(async () => ((await deliveryCounts(app.dataSource, digestId)).sent ?? 0) >= 600, {
        timeoutMs: 60_000,
        what: '600 copies sent',
      });
      const sent: Array<{ message_id: string }> = await app.dataSource.query(
        `SELECT message_id FROM deliveries WHERE digest_id = $1 AND status = 'sent' ORDER BY id LIMIT 160`,
        [digestId],
      );
      for (const { message_id } of sent) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const token = randomUUID();
        await request(app.http)
          .post('/webhooks/mailgun')
          .set('content-type', 'application/json')
          .send(
            JSON.stringify({
              signature: {
                timestamp,
                token,
                signature: createHmac('sha256', KEY)
                  .update(timestamp + token)
                  .digest('hex'),
              },
              'event-data': {
                event: 'failed',
                severity: 'permanent',
                message: { headers: { 'message-id': message_id } },
              },
            }),
          )
          .expect(200);
      }
      const [digest] = await app.dataSource.query(`SELECT paused_at, pause_reason FROM digests WHERE id = $1`, [
        digestId,
      ]);
      expect(digest.paused_at).not.toBeNull();
      expect(digest.pause_reason).toMatch(/^bounce rate \d+\.\d\d % passed 5\.00 % over \d+ deliveries$/);
      const counts = await deliveryCounts(app.dataSource, digestId);
      expect(counts.bounced).toBe(160);
      expect(counts.queued ?? 0).toBeGreaterThan(0);

      const { body } = await request(app.http)
        .get(`/admin/digests/${digestId}`)
        .set('authorization', 'Bearer admin-token-0123456789abcdef0123');
      expect(JSON.stringify(body)).toContain('bounce rate');
    } finally {
      await app.close();
      await smtp.close();
    }
  }, 120_000);
});
