import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { artifactPath, launchChromium } from './support/browser.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

describe('subscribe page in a real browser', () => {
  let smtp: SmtpSink;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({ env: { SMTP_URL: smtp.url } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  it.each([
    ['desktop', 1024],
    ['phone', 375],
  ])('fills the form on %s, submits, sees the thank-you page, and gets the mail', async (device, width) => {
    const email = `browser-${device}@example.com`;
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(app.url + '/');
    await page.screenshot({ path: artifactPath(`subscribe-form-${device}.png`), fullPage: true });
    expect(await page.title()).toContain('BHM Healthcare Solutions');
    // Accessible names: every field is found by its label.
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Name (optional)').fill('Browser Subscriber');
    // The consent box starts unticked (the other checkbox is the bot check's).
    expect(await page.getByLabel(/weekly digest/).isChecked()).toBe(false);
    await page.getByLabel(/weekly digest/).check();
    // The page fits a phone: nothing wider than the viewport.
    expect(
      await page.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(width);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Almost done' }).waitFor();
    expect(await page.textContent('main')).toContain('Check your inbox');
    const shot = artifactPath(`subscribe-thanks-${device}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    await page.close();

    const subscriber = await app.dataSource.getRepository(Subscriber).findOneByOrFail({ email });
    expect(subscriber.status).toBe('pending');
    expect(subscriber.name).toBe('Browser Subscriber');
    await smtp.waitForMail(email);
  });

  it('keeps the subscriber on the form with the reason when a required field is missing', async () => {
    const page = await browser.newPage();
    await page.goto(app.url + '/');
    await page.getByLabel('Email address').fill('no-consent@example.com');
    // Submitting without ticking consent: the browser's own check stops it; without it, the server's does.
    await page
      .locator('input[name=consent]')
      .evaluate((input) => (input as unknown as { removeAttribute(name: string): void }).removeAttribute('required'));
    const [response] = await Promise.all([
      page.waitForResponse('**/subscribe'),
      page.getByRole('button', { name: 'Subscribe' }).click(),
    ]);
    expect(response.status()).toBe(400);
    expect(await page.textContent('main')).toContain('consent is required');
    await page.close();
  });
});
