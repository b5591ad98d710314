import type { Browser } from 'playwright-core';
import { artifactPath, launchChromium } from './support/browser.js';
import { TestApp } from './support/test-app.js';

describe('/docs in a real browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await TestApp.start({ env: { ADMIN_TOKENS: 'd'.repeat(40) } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders the admin operations under the security headers the app sends', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') blocked.push(message.text());
    });
    await page.goto(`${app.url}/docs`);
    await page.getByText('/admin/subscribers/{id}/unsubscribe').first().waitFor();
    await page
      .getByRole('button', { name: /Authorize/ })
      .first()
      .waitFor();
    await page.screenshot({ path: artifactPath('admin-docs.png'), fullPage: false });
    expect(blocked.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
  });
});
