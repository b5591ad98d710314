import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { ConfirmationToken } from '../src/subscribers/confirmation-token.entity.js';
import { PendingPurgeScheduler } from '../src/subscribers/pending-purge.scheduler.js';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { linkIn, linkTokenOf, pathOf } from './support/links.js';
import { waitForQueueDrained } from './support/queues.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('subscription lifecycle', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, CONFIRMATION_MAILS_PER_DAY: '2' },
      role: { schedulers: true },
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const subscribe = (email: string, as: 'json' | 'form' = 'json') =>
    request(app.http).post('/subscribe').type(as).send({ email, consent: 'yes' }).expect(200);
  const subscriber = (email: string) => app.dataSource.getRepository(Subscriber).findOneByOrFail({ email });
  const confirmLink = async (email: string, nth = 1) =>
    linkIn((await smtp.waitForMail(email, nth, /^Please confirm/))[nth - 1].parsed.text, `${app.url}/confirm/`);

  it('answers new, pending and confirmed addresses with byte-identical responses', async () => {
    await subscribe('known@example.com');
    await request(app.http)
      .post(pathOf(await confirmLink('known@example.com')))
      .expect(200);
    await subscribe('pending@example.com');
    expect((await subscriber('known@example.com')).status).toBe('confirmed');
    expect((await subscriber('pending@example.com')).status).toBe('pending');

    for (const as of ['json', 'form'] as const) {
      const answers = await Promise.all(
        ['fresh-' + as + '@example.com', 'pending@example.com', 'known@example.com'].map((email) =>
          subscribe(email, as),
        ),
      );
      const [first, ...rest] = answers;
      for (const other of rest) {
        expect(Buffer.from(other.text)).toEqual(Buffer.from(first.text));
        expect(other.status).toBe(first.status);
        expect(other.headers['content-type']).toBe(first.headers['content-type']);
        expect(other.headers['content-length']).toBe(first.headers['content-length']);
      }
    }
  });

  it('re-sends the confirmation while pending, up to the daily cap, without telling', async () => {
    await subscribe('again@example.com');
    await subscribe('again@example.com');
    await subscribe('again@example.com');
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    const mails = await smtp.waitForMail('again@example.com', 2);
    expect(mails).toHaveLength(2);
    const [a, b] = mails.map((mail) => linkIn(mail.parsed.text, `${app.url}/confirm/`));
    expect(a).not.toBe(b);
    const { id } = await subscriber('again@example.com');
    expect(await app.dataSource.getRepository(ConfirmationToken).countBy({ subscriberId: id })).toBe(2);
    // Either link confirms.
    await request(app.http).post(pathOf(b)).expect(200);
    expect((await subscriber('again@example.com')).status).toBe('confirmed');
  });

  it('gives each state of a confirmation link its own page: unknown, expired (with a new link in one click), confirmed', async () => {
    await subscribe('links@example.com');
    const link = await confirmLink('links@example.com');
    const token = link.split('/').pop()!;
    const tampered = `/confirm/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [tampered, '/confirm/not-a-token', `/confirm/${'x'.repeat(5000)}`, '/confirm/%00%0d%0a']) {
      await request(app.http)
        .get(path)
        .expect(404)
        .expect(/This link is not valid/)
        .expect(/Subscribe again/);
      await request(app.http).post(path).expect(404);
      await request(app.http).post(`${path}/resend`).expect(404);
    }
    expect((await subscriber('links@example.com')).status).toBe('pending');

    // Expired: the page names the address masked, and its one button sends a new link there.
    const { id } = await subscriber('links@example.com');
    await app.dataSource.query(
      `UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute' WHERE subscriber_id = $1`,
      [id],
    );
    for (const answer of [request(app.http).get(pathOf(link)), request(app.http).post(pathOf(link))]) {
      const page = (await answer.expect(410)).text;
      expect(page).toContain('This link has expired');
      expect(page).toContain('We can send a new link to l•••@e•••.com now');
      expect(page).toContain(`<form method="post" action="${link}/resend">`);
      expect(page).toContain('Send me a new link');
      expect(page).not.toContain('links@example.com');
    }
    expect((await subscriber('links@example.com')).status).toBe('pending');
    const resend = async (status: number) =>
      (
        await request(app.http)
          .post(`${pathOf(link)}/resend`)
          .expect(status)
      ).text;
    const resent = await resend(200);
    expect(resent).toContain('A new link is on its way');
    expect(resent).toContain('We have sent a new confirmation link to l•••@e•••.com.');
    expect(resent).not.toContain('links@example.com');
    const fresh = await confirmLink('links@example.com', 2);
    expect(fresh).not.toBe(link);
    // The button counts against the mailbox's daily cap (2 here) like the form does.
    const capped = await resend(429);
    expect(capped).toContain('No more links today');
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    expect(smtp.to('links@example.com')).toHaveLength(2);

    // Confirmed: the new link and the old one both say so, with the archive, and offer nothing to redo.
    await request(app.http)
      .post(pathOf(fresh))
      .expect(200)
      .expect(/You are subscribed/);
    for (const answer of [
      request(app.http).get(pathOf(fresh)),
      request(app.http).post(pathOf(fresh)),
      request(app.http).get(pathOf(link)),
      request(app.http).post(`${pathOf(link)}/resend`),
    ]) {
      const page = (await answer.expect(200)).text;
      expect(page).toContain('You&#x27;re already subscribed');
      expect(page).toContain(`<a href="${app.url}/archive">Read past digests</a>`);
      expect(page).not.toMatch(/Subscribe again|Send me a new link/);
    }
    // Two confirmation mails (the first and the resent one), and the welcome once confirmed.
    expect(smtp.to('links@example.com', /confirm your subscription/)).toHaveLength(2);
    await waitFor(() => smtp.to('links@example.com', /^Welcome/).length === 1, { what: 'the welcome mail' });
  });

  it('makes a subscriber who left opt in again', async () => {
    await subscribe('returning@example.com');
    const first = await confirmLink('returning@example.com');
    await request(app.http).post(pathOf(first)).expect(200);
    const unsubscribeToken = await linkTokenOf(app, 'returning@example.com');
    await request(app.http)
      .get(`/unsubscribe/${unsubscribeToken}`)
      .expect(200)
      .expect(/Unsubscribe/);
    expect((await subscriber('returning@example.com')).status).toBe('confirmed');
    await request(app.http)
      .post(`/unsubscribe/${unsubscribeToken}`)
      .expect(200)
      .expect(/You are unsubscribed/);
    expect((await subscriber('returning@example.com')).status).toBe('unsubscribed');
    // The first link, used and then left behind, says so rather than subscribing again.
    await request(app.http)
      .get(pathOf(first))
      .expect(410)
      .expect(/This link has already been used/);

    await subscribe('returning@example.com');
    expect((await subscriber('returning@example.com')).status).toBe('pending');
    await request(app.http)
      .post(pathOf(await confirmLink('returning@example.com', 2)))
      .expect(200);
    expect((await subscriber('returning@example.com')).status).toBe('confirmed');
    // Confirmed again after leaving: new links, and the old ones lead nowhere.
    expect(await linkTokenOf(app, 'returning@example.com')).not.toBe(unsubscribeToken);
    await request(app.http).get(`/unsubscribe/${unsubscribeToken}`).expect(404);
  });

  it('refuses one-click requests without the RFC 8058 body, and unknown links', async () => {
    await subscribe('oneclick@example.com');
    const unsubscribeToken = await linkTokenOf(app, 'oneclick@example.com');
    const response = await request(app.http)
      .post(`/unsubscribe/${unsubscribeToken}/one-click`)
      .type('form')
      .send('List-Unsubscribe=Yes')
      .expect(400);
    expect(response.body.message).toMatch(/List-Unsubscribe=One-Click/);
    expect((await subscriber('oneclick@example.com')).status).toBe('pending');
    // Well-formed but unknown: a legacy-length token and a keyed one whose MAC does not match.
    await request(app.http)
      .post(`/unsubscribe/${unsubscribeToken.slice(0, 22)}${'A'.repeat(22)}/one-click`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(404);
    await request(app.http)
      .post(`/unsubscribe/${'A'.repeat(43)}/one-click`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(404);
    await request(app.http).get('/unsubscribe/nonsense').expect(404);
    // Multipart, as some mailbox providers send it.
    await request(app.http)
      .post(`/unsubscribe/${unsubscribeToken}/one-click`)
      .field('List-Unsubscribe', 'One-Click')
      .expect(200);
    expect((await subscriber('oneclick@example.com')).status).toBe('unsubscribed');
  });

  it('purges pending subscriptions never confirmed within the configured days', async () => {
    await subscribe('stale@example.com');
    await subscribe('recent@example.com');
    await app.dataSource.query(
      `UPDATE subscribers SET updated_at = now() - interval '31 days' WHERE email = 'stale@example.com'`,
    );
    const purged = await app.get(PendingPurgeScheduler).purge();
    expect(purged).toBe(1);
    expect(await app.dataSource.getRepository(Subscriber).existsBy({ email: 'stale@example.com' })).toBe(false);
    expect(await app.dataSource.getRepository(Subscriber).existsBy({ email: 'recent@example.com' })).toBe(true);
    expect(await app.dataSource.getRepository(Subscriber).existsBy({ email: 'known@example.com' })).toBe(true);
  });
});

describe('subscription rate limits', () => {
  it('holds across two app instances that share Redis', async () => {
    const env = { SUBSCRIBE_LIMIT_PER_IP_PER_MINUTE: '3' };
    const first = await TestApp.start({ env });
    const second = await TestApp.start({ env, database: first.database, redisPrefix: first.config.redis.prefix });
    try {
      const send = (app: TestApp, n: number) =>
        request(app.http)
          .post('/subscribe')
          .send({ email: `limit${n}@example.com`, consent: 'yes' });
      expect((await send(first, 1)).status).toBe(200);
      expect((await send(second, 2)).status).toBe(200);
      expect((await send(first, 3)).status).toBe(200);
      const refused = await send(second, 4);
      expect(refused.status).toBe(429);
      expect(refused.body.message).toMatch(/Too many subscription attempts from your network; try again in 1 minute/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await first.dataSource.getRepository(Subscriber).existsBy({ email: 'limit4@example.com' })).toBe(false);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('limits attempts per address whatever the network', async () => {
    const app = await TestApp.start({ env: { SUBSCRIBE_LIMIT_PER_ADDRESS_PER_HOUR: '2' } });
    try {
      const send = () => request(app.http).post('/subscribe').send({ email: 'target@example.com', consent: 'yes' });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(refused.body.message).toMatch(/for this address/);
    } finally {
      await app.close();
    }
  });
});

describe('confirmation mail refused by the SMTP server', () => {
  it('is tried once on a 5xx reply, but retried on a 4xx reply', async () => {
    const attempts = new Map<string, number>();
    const smtp = await SmtpSink.start({
      onRecipient: (address) => {
        const n = (attempts.get(address) ?? 0) + 1;
        attempts.set(address, n);
        if (address.startsWith('typo')) return { code: 550, message: '5.1.1 User unknown' };
        return n === 1 ? { code: 451, message: '4.7.1 Try again later' } : undefined;
      },
    });
    const app = await TestApp.start({ env: { SMTP_URL: smtp.url } });
    try {
      for (const email of ['typo@example.com', 'slow@example.com']) {
        await request(app.http).post('/subscribe').send({ email, consent: 'yes' }).expect(200);
      }
      await smtp.waitForMail('slow@example.com');
      await waitForQueueDrained(app, QueueName.TransactionalMail);
      expect(attempts.get('typo@example.com')).toBe(1);
      expect(attempts.get('slow@example.com')).toBe(2);
    } finally {
      await app.close();
      await smtp.close();
    }
  }, 30_000);
});
