import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { artifactPath, launchChromium } from './support/browser.js';
import { digestStatus, insertApprovedDigest } from './support/digest-fixtures.js';
import { linkIn, linkTokenOf } from './support/links.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const EMAIL = 'journey@example.com';

describe("a subscriber's journey in a real browser", () => {
  let smtp: SmtpSink;
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: { SMTP_URL: smtp.url, SUBSCRIBE_HEADING: 'The weekly healthcare digest', ADMIN_TOKENS: 'a'.repeat(40) },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  const subscriber = () => app.dataSource.getRepository(Subscriber).findOneBy({ email: EMAIL });
  const events = async () =>
    (
      await app.dataSource.query<Array<{ kind: string }>>(
        `SELECT kind FROM consent_events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = $1 ORDER BY e.id`,
        [EMAIL],
      )
    ).map((row) => row.kind);
  const shot = (name: string) => page.screenshot({ path: artifactPath(`journey-${name}.png`), fullPage: true });

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
    await shot('form-error');
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
    expect((await subscriber())!.status).toBe('pending');
  });

  it('confirms from the mail', async () => {
    const [mail] = await smtp.waitForMail(EMAIL);
    await page.goto(linkIn(mail.parsed.text, `${app.url}/confirm/`));
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    expect((await subscriber())!.status).toBe('confirmed');
  });

  it('pauses, chooses plain text and downloads its data on the manage page', async () => {
    const unsubscribeToken = await linkTokenOf(app, EMAIL);
    await page.goto(`${app.url}/manage/${unsubscribeToken}`);
    expect(await page.textContent('main')).toContain(EMAIL);
    await shot('manage');

    await page.getByLabel('Pause the digest for').selectOption('4');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText(/^Paused: no digest until/).waitFor();
    const paused = (await subscriber())!.pausedUntil!;
    expect(Math.round((paused.getTime() - Date.now()) / 86_400_000)).toBe(28);

    // A digest released while paused leaves the subscriber out.
    const digest = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: While paused');
    expect((await app.get(FanOutService).fanOut(digest)).subscribers).toBe(0);
    await waitFor(async () => (await digestStatus(app.dataSource, digest)) === 'sent', { what: 'empty send' });

    await page.getByRole('button', { name: 'Resume now' }).click();
    await page.getByText(/^Resumed/).waitFor();
    expect((await subscriber())!.pausedUntil).toBeNull();

    await page.getByLabel('Plain text only').check();
    await page.getByRole('button', { name: 'Save format' }).click();
    await page.getByText(/^Saved: digests will come as plain text only/).waitFor();
    expect((await subscriber())!.mailFormat).toBe('text');

    const textDigest = await insertApprovedDigest(app.dataSource, 'BHM Healthcare weekly: In plain text');
    await app.get(FanOutService).fanOut(textDigest);
    const copy = await waitFor(() => smtp.to(EMAIL).find((m) => /In plain text/.test(m.parsed.subject ?? '')));
    expect(copy.parsed.html).toBe(false);
    expect(copy.parsed.text).toContain('Healthcare news.');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    const exported: unknown = JSON.parse(await readFile(await download.path(), 'utf8'));
    const { id } = (await subscriber())!;
    const admin = await request(app.http)
      .get(`/admin/subscribers/${id}/export`)
      .set('Authorization', `Bearer ${app.config.admin.tokens[0]}`)
      .expect(200);
    const { exportedAt: _a, ...fromAdmin } = admin.body as Record<string, unknown>;
    const { exportedAt: _b, ...fromPage } = exported as Record<string, unknown>;
    expect(fromPage).toEqual(fromAdmin);
    expect(await events()).toEqual(['subscribe', 'confirm', 'pause', 'resume', 'format']);
  });

  it('unsubscribes, is told so on the one-click URL, and comes back in one click', async () => {
    const unsubscribeToken = await linkTokenOf(app, EMAIL);
    await page.goto(`${app.url}/unsubscribe/${unsubscribeToken}/one-click`);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    expect((await subscriber())!.status).toBe('unsubscribed');

    await page.goto(`${app.url}/unsubscribe/${unsubscribeToken}`);
    expect(await page.getByRole('button', { name: 'Unsubscribe' }).count()).toBe(0);
    await shot('unsubscribed');
    expect(
      await page.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'Subscribe again' }).click();
    await page.getByText(/^Welcome back/).waitFor();
    expect((await subscriber())!.status).toBe('confirmed');
    expect((await events()).slice(-2)).toEqual(['unsubscribe', 'resubscribe']);
    // Coming back rotates the links: the old ones lead nowhere, the page's forms use the new ones.
    const renewed = await linkTokenOf(app, EMAIL);
    expect(renewed).not.toBe(unsubscribeToken);
    await request(app.http).get(`/manage/${unsubscribeToken}`).expect(404);
    expect(await page.locator(`form[action*="/manage/${renewed}/"]`).count()).toBeGreaterThan(0);
  });

  it('deletes everything', async () => {
    const unsubscribeToken = await linkTokenOf(app, EMAIL);
    await page.goto(`${app.url}/manage/${unsubscribeToken}`);
    await page.getByRole('button', { name: 'Delete everything' }).click();
    await page.getByRole('heading', { name: 'Everything is deleted' }).waitFor();
    await shot('deleted');
    expect(await subscriber()).toBeNull();
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM suppressions`);
    expect(count).toBe(1);
    await request(app.http).get(`/manage/${unsubscribeToken}`).expect(404);
  });
});
