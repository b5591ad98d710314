import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { QueueName } from '../src/common/queue.constants.js';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { SubscribersRepository } from '../src/subscribers/subscribers.repository.js';
import { SuppressionReason } from '../src/subscribers/suppression.entity.js';
import { SuppressionsRepository } from '../src/subscribers/suppressions.repository.js';
import { checkPageAtBothWidths } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { digestStatus, insertApprovedDigest } from './support/digest-fixtures.js';
import { linkIn, pathOf } from './support/links.js';
import { waitForQueueDrained } from './support/queues.js';
import { headerOf, type ReceivedMail, SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const EMAIL = 'journey@example.com';
const NEW_EMAIL = 'journey.new@example.org';
/** Held by another subscriber: asking for it must look exactly like asking for a free address. */
const TAKEN = 'taken@example.com';

describe("a subscriber's journey in a real browser", () => {
  let smtp: SmtpSink;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let id: string;
  let welcome: ReceivedMail;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, SUBSCRIBE_HEADING: 'The weekly healthcare digest', ADMIN_TOKENS: 'a'.repeat(40) },
    });
    browser = await launchChromium();
    // A page of its own context: axe-core's Playwright runner opens a helper page in the same context.
    page = await (await browser.newContext({ viewport: { width: 375, height: 740 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  /** The reader, followed by id: their address changes on the way. */
  const subscriber = () => app.dataSource.getRepository(Subscriber).findOneBy(id ? { id } : { email: EMAIL });
  const events = async () =>
    (
      await app.dataSource.query<Array<{ kind: string }>>(
        `SELECT kind FROM consent_events WHERE subscriber_id = $1 ORDER BY id`,
        [id],
      )
    ).map((row) => row.kind);
  /** axe-core at 1280 and 375 px, with a screenshot at each. */
  const accessible = async (name: string) => expect(await checkPageAtBothWidths(page, `journey-${name}`)).toEqual([]);
  /** The token of the reader's current links (it changes with the address, and on re-subscribing). */
  const linkToken = async () => app.get(SubscribersRepository).linkToken((await subscriber())!);
  const manageUrl = async () => `${app.url}/manage/${await linkToken()}`;

  it('gets the form back with what was typed and one message at the field, then subscribes', async () => {
    await page.goto(`${app.url}/subscribe`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('The weekly healthcare digest');
    // On a phone the form starts above the fold.
    const top = await page.getByLabel('Email address').boundingBox();
    expect(top!.y + top!.height).toBeLessThan(740);

    await page.getByLabel('Email address').fill('journey.example.com');
    await page.getByLabel('Name (optional)').fill('Journey Tester');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('#email-error').waitFor();
    await accessible('form-error');
    expect(await page.getByLabel('Email address').inputValue()).toBe('journey.example.com');
    expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Journey Tester');
    const main = (await page.textContent('main'))!;
    expect(main.match(/email must contain an @/g)).toHaveLength(1);
    expect(main.match(/consent is required/g)).toHaveLength(1);
    expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    expect(await subscriber()).toBeNull();

    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel(/weekly digest/).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Almost done' }).waitFor();
    await accessible('almost-done');
    const pending = (await subscriber())!;
    expect(pending.status).toBe('pending');
    id = pending.id;
  });

  it('confirms from the mail, and gets one welcome mail saying what comes when, with working links', async () => {
    const [mail] = await smtp.waitForMail(EMAIL);
    const confirmLink = linkIn(mail.parsed.text, `${app.url}/confirm/`);
    await page.goto(confirmLink);
    await accessible('confirm');
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    await accessible('subscribed');
    expect((await subscriber())!.status).toBe('confirmed');
    expect(await events()).toEqual(['subscribe', 'confirm']);

    welcome = await waitFor(() => smtp.to(EMAIL, /^Welcome/)[0], { what: 'the welcome mail' });
    const { text, html } = welcome.parsed;
    // DIGEST_CRON 0 8 * * 1 in America/New_York, the defaults; no digest has gone out yet.
    expect(text).toContain('every Monday around 08:00 (America/New_York)');
    expect(text).toMatch(/The first one arrives on Monday, [A-Z][a-z]+ \d{1,2} around 08:00 \(America\/New_York\)\./);
    expect(text).toContain('info@bhmpc.com');
    expect(text).toContain('1-888-831-1171');
    const manage = await manageUrl();
    expect(text).toContain(manage);
    expect(html).toContain(`href="${manage}"`);
    const unsubscribeToken = await linkToken();
    expect(headerOf(welcome, 'List-Unsubscribe')).toBe(`<${app.url}/unsubscribe/${unsubscribeToken}/one-click>`);
    expect(headerOf(welcome, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(linkIn(text, `${app.url}/unsubscribe/`)).toBe(`${app.url}/unsubscribe/${unsubscribeToken}`);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.setContent(html as string);
    await accessible('welcome-mail');

    await page.goto(linkIn(text, `${app.url}/manage/`));
    expect(await page.textContent('main')).toContain(EMAIL);

    // Used once: the link again changes nothing, says so, and welcomes nobody twice.
    await request(app.http)
      .post(pathOf(confirmLink))
      .expect(200)
      .expect(/already subscribed/);
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    expect(smtp.to(EMAIL, /^Welcome/)).toHaveLength(1);
  });

  it('refuses a malformed, bounced or erased new address on the manage page, with the form back and a message', async () => {
    await app.dataSource.query(
      `INSERT INTO subscribers (email, status, bounced_at) VALUES ('bounced@example.com', 'bounced', now())`,
    );
    await app.dataSource.transaction((manager) =>
      app.get(SuppressionsRepository).suppress(manager, 'erased@example.com', SuppressionReason.Erased),
    );
    await page.goto(await manageUrl());
    await accessible('manage');
    const tries: Array<[string, number, RegExp]> = [
      ['journey.example.org', 400, /email must contain an @/],
      [EMAIL, 400, /already the address of this subscription/],
      ['bounced@example.com', 422, /We cannot send to this address/],
      ['erased@example.com', 422, /We cannot send to this address/],
    ];
    for (const [typed, status, message] of tries) {
      await page.getByLabel('New email address').fill(typed);
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/email')),
        page.getByRole('button', { name: 'Change address' }).click(),
      ]);
      expect(answer.status()).toBe(status);
      await page.locator('#new-email-error').waitFor();
      expect(await page.locator('#new-email-error').textContent()).toMatch(message);
      expect(await page.getByLabel('New email address').inputValue()).toBe(typed);
      expect(await page.getByLabel('New email address').getAttribute('aria-invalid')).toBe('true');
    }
    await accessible('manage-email-error');
    expect((await subscriber())!.email).toBe(EMAIL);
    expect(await events()).toEqual(['subscribe', 'confirm']);
  });

  it('moves to a new address only once the link mailed there is used, telling an address already subscribed nothing', async () => {
    await app.dataSource.query(
      `INSERT INTO subscribers (email, status, confirmed_at) VALUES ($1, 'confirmed', now())`,
      [TAKEN],
    );
    const ask = async (address: string) => {
      await page.goto(await manageUrl());
      await page.getByLabel('New email address').fill(address);
      await page.getByRole('button', { name: 'Change address' }).click();
      const notice = page.getByRole('status');
      await notice.waitFor();
      return (await notice.textContent())!;
    };
    const takenNotice = await ask(TAKEN);
    const freeNotice = await ask(NEW_EMAIL);
    // The same words but for the address typed: the page does not tell who is subscribed.
    expect(takenNotice.replace(TAKEN, '<new>')).toBe(freeNotice.replace(NEW_EMAIL, '<new>'));
    expect(freeNotice).toContain(`the digest keeps coming to ${EMAIL}`);
    expect((await subscriber())!.email).toBe(EMAIL);

    const [link] = await smtp.waitForMail(NEW_EMAIL);
    await waitForQueueDrained(app, QueueName.TransactionalMail);
    expect(smtp.to(TAKEN)).toHaveLength(0);
    // The mailbox is not the subscriber's yet: no manage or unsubscribe link of theirs goes there.
    const unsubscribeToken = await linkToken();
    expect(link.raw.toString()).not.toContain(unsubscribeToken);
    expect(headerOf(link, 'List-Unsubscribe')).toBeUndefined();

    await page.goto(linkIn(link.parsed.text, `${app.url}/confirm/email/`));
    await accessible('confirm-email');
    expect((await subscriber())!.email).toBe(EMAIL);
    await page.getByRole('button', { name: 'Confirm my new address' }).click();
    await page.getByRole('heading', { name: 'Your address is changed' }).waitFor();
    await accessible('email-changed');
    expect(await page.textContent('main')).toContain(NEW_EMAIL);
    expect((await subscriber())!.email).toBe(NEW_EMAIL);
    expect(await events()).toEqual([
      'subscribe',
      'confirm',
      'email_change_request',
      'email_change_request',
      'email_change',
    ]);

    const notice = await waitFor(() => smtp.to(EMAIL, /now goes to another address/)[0], { what: 'the notice' });
    expect(notice.parsed.text).toContain('j•••@example.org');
    expect(notice.parsed.text).not.toContain(NEW_EMAIL);
    expect(notice.raw.toString()).not.toContain(unsubscribeToken);

    await page.getByRole('link', { name: 'Manage your subscription' }).click();
    expect(await page.textContent('main')).toContain(NEW_EMAIL);
    // The links rotate with the address: those in mails to the old mailbox lead nowhere now.
    expect(await linkToken()).not.toBe(unsubscribeToken);
    await request(app.http).get(`/manage/${unsubscribeToken}`).expect(404);
    await request(app.http)
      .get(pathOf(linkIn(welcome.parsed.text, `${app.url}/unsubscribe/`)))
      .expect(404);
  });

  it('pauses, chooses plain text and downloads its data on the manage page', async () => {
    await page.goto(await manageUrl());
    await page.getByLabel('Pause the digest for').selectOption('4');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText(/^Paused: no digest until/).waitFor();
    const paused = (await subscriber())!.pausedUntil!;
    expect(Math.round((paused.getTime() - Date.now()) / 86_400_000)).toBe(28);

    // A digest released while paused leaves the subscriber out.
    const digest = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: While paused');
    expect((await app.get(FanOutService).fanOut(digest)).subscribers).toBe(1);
    await waitFor(async () => (await digestStatus(app.dataSource, digest)) === 'sent', { what: 'send without them' });
    expect(smtp.to(NEW_EMAIL, /While paused/)).toHaveLength(0);

    await page.getByRole('button', { name: 'Resume now' }).click();
    await page.getByText(/^Resumed/).waitFor();
    expect((await subscriber())!.pausedUntil).toBeNull();

    await page.getByLabel('Plain text only').check();
    await page.getByRole('button', { name: 'Save format' }).click();
    await page.getByText(/^Saved: digests will come as plain text only/).waitFor();
    expect((await subscriber())!.mailFormat).toBe('text');

    const textDigest = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: In plain text');
    await app.get(FanOutService).fanOut(textDigest);
    const copy = await waitFor(() => smtp.to(NEW_EMAIL, /In plain text/)[0]);
    expect(copy.parsed.html).toBe(false);
    expect(copy.parsed.text).toContain('Healthcare news.');
    // The digest carries the manage link beside the unsubscribe link.
    expect(copy.parsed.text).toContain(`Manage your subscription: ${await manageUrl()}`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    const exported: unknown = JSON.parse(await readFile(await download.path(), 'utf8'));
    const admin = await request(app.http)
      .get(`/admin/subscribers/${id}/export`)
      .set('Authorization', `Bearer ${app.config.admin.tokens[0]}`)
      .expect(200);
    const { exportedAt: _a, ...fromAdmin } = admin.body as Record<string, unknown>;
    const { exportedAt: _b, ...fromPage } = exported as Record<string, unknown>;
    expect(fromPage).toEqual(fromAdmin);
    expect((await events()).slice(-3)).toEqual(['pause', 'resume', 'format']);
  });

  it('welcomes a later reader with a link to the latest digest of the archive', async () => {
    await request(app.http).post('/subscribe').send({ email: 'later@example.com', consent: 'yes' }).expect(200);
    const [mail] = await smtp.waitForMail('later@example.com');
    await request(app.http)
      .post(pathOf(linkIn(mail.parsed.text, `${app.url}/confirm/`)))
      .expect(200);
    const later = await waitFor(() => smtp.to('later@example.com', /^Welcome/)[0], { what: 'the welcome mail' });
    // The text part is wrapped at 78 columns: compare it unwrapped.
    expect(later.parsed.text?.replace(/\s+/g, ' ')).toContain(
      'read the latest digest, BHM Healthcare weekly: In plain text',
    );
    expect(later.parsed.text).not.toContain('The first one arrives');
    const archived = await request(app.http)
      .get(pathOf(linkIn(later.parsed.text, `${app.url}/archive/`)))
      .expect(200);
    expect(archived.text).toContain('In plain text');
  });

  it("unsubscribes through the latest digest's one-click URL, is told so, and comes back in one click", async () => {
    const digest = smtp.to(NEW_EMAIL, /In plain text/)[0];
    const oneClick = headerOf(digest, 'List-Unsubscribe')!.slice(1, -1);
    await page.goto(oneClick);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    expect((await subscriber())!.status).toBe('unsubscribed');

    const unsubscribePage = linkIn(digest.parsed.text, `${app.url}/unsubscribe/`);
    await page.goto(unsubscribePage);
    expect(await page.getByRole('button', { name: 'Unsubscribe' }).count()).toBe(0);
    await accessible('unsubscribed');
    await page.setViewportSize({ width: 375, height: 740 });
    expect(
      await page.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Subscribe again' }).click();
    await page.getByText(/^Welcome back/).waitFor();
    expect((await subscriber())!.status).toBe('confirmed');
    expect((await events()).slice(-2)).toEqual(['unsubscribe', 'resubscribe']);
    // Coming back rotates the links: the old ones lead nowhere, the page's forms use the new ones.
    await request(app.http).get(pathOf(unsubscribePage)).expect(404);
    expect(await page.locator(`form[action*="/manage/${await linkToken()}/"]`).count()).toBeGreaterThan(0);
  });

  it('deletes everything', async () => {
    const manage = await manageUrl();
    await page.goto(manage);
    await page.getByRole('button', { name: 'Delete everything' }).click();
    await page.getByRole('heading', { name: 'Everything is deleted' }).waitFor();
    await accessible('deleted');
    expect(await subscriber()).toBeNull();
    const [{ count }] = await app.dataSource.query(
      `SELECT count(*)::int AS count FROM suppressions WHERE reason = 'erased'`,
    );
    expect(count).toBe(2);
    await request(app.http).get(pathOf(manage)).expect(404);
  });
});
