import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { FanOutService } from '../src/delivery/fan-out.service.js';
import { DigestComposer } from '../src/digests/digest-composer.js';
import { weekEndingAt } from '../src/digests/digest-period.js';
import { seriousAxeViolations } from './support/axe.js';
import { artifactPath, launchChromium } from './support/browser.js';
import { digestStatus } from './support/digest-fixtures.js';
import { linkTokenOf } from './support/links.js';
import { FixtureServer, insertPosts, plusHours, rss } from './fixtures/digests/posts.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const ZONE = 'America/New_York';
const READER = 'reader@example.com';
const TOPICS = [
  'Preparing for your URAC accreditation survey',
  'Peer review turnaround times that payers accept',
  'Denials management: five root causes we see every week',
  'What the 2026 prior authorization rule means for providers',
  'Behavioral health parity audits: a practical checklist',
  'Building a physician advisor program from scratch',
  'Case management staffing ratios that work',
  'NCQA health plan accreditation: lessons from the field',
  'Reducing avoidable readmissions with better discharge planning',
  'Value-based contracts: reading the fine print',
];
const WIDTHS = [1280, 375];

/** A stand-in for a blog's featured image: 1200x630, served from loopback so the test needs no network. */
const heroSvg = (n: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0b3c5d"/><stop offset="1" stop-color="${['#328cc1', '#1d9a6c', '#d9b310'][n % 3]}"/></linearGradient></defs><rect width="1200" height="630" fill="url(#g)"/><text x="60" y="560" font-family="Helvetica, Arial, sans-serif" font-size="64" fill="#fff">BHM blog · image ${n}</text></svg>`;

interface Shown {
  name: string;
  open: (page: Page) => Promise<unknown>;
}

describe('the digest, the archive and the mails in a real browser', () => {
  let fixtures: FixtureServer;
  let smtp: SmtpSink;
  let app: TestApp;
  let browser: Browser;
  let digestId: string;
  /** The reader's link token, as their copy carries it. */
  let readerToken: string;
  let digestHtml: string;
  let digestText: string;
  let confirmationHtml: string;

  beforeAll(async () => {
    fixtures = await FixtureServer.start();
    smtp = await SmtpSink.start();
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        FEED_URLS: fixtures.serve('/feed.xml', 'application/rss+xml', rss([])),
        COMPANY_POSTAL_ADDRESS: '100 Example Way, Suite 5, Baltimore, MD 21201',
      },
    });
    browser = await launchChromium();

    const period = weekEndingAt(DateTime.fromISO('2025-09-15T08:00', { zone: ZONE }).toJSDate(), ZONE);
    await insertPosts(
      app.dataSource,
      TOPICS.map((title, i) => ({
        title,
        summary: `${title}. Our consultants walk through what changed, who it affects and the steps a health plan or provider organization can take this quarter, with examples from recent engagements and a short list of questions to bring to your next leadership meeting.`,
        imageUrl: i % 3 === 1 ? null : fixtures.serve(`/images/post-${i + 1}.svg`, 'image/svg+xml', heroSvg(i + 1)),
        publishedAt: plusHours(period.start, 14 * (i + 1)),
      })),
    );
    const { digest } = await app.get(DigestComposer).compose(period, { refreshFeeds: false });
    expect(digest.postCount).toBe(10);
    digestId = digest.id;
    // The real send to one named subscriber: the copy they receive is the mail under test.
    await app.dataSource.query(
      `INSERT INTO subscribers (email, name, status, confirmed_at) VALUES ($1, 'Zoë Müller', 'confirmed', now())`,
      [READER],
    );
    readerToken = await linkTokenOf(app, READER);
    await app.dataSource.query(`UPDATE digests SET status = 'approved', approved_at = now() WHERE id = $1`, [digestId]);
    await app.get(FanOutService).fanOut(digestId);
    await waitFor(async () => (await digestStatus(app.dataSource, digestId)) === 'sent', { what: 'the digest sent' });
    const [copy] = await smtp.waitForMail(READER);
    expect(copy.parsed.to).toMatchObject({ value: [{ address: READER, name: 'Zoë Müller' }] });
    digestHtml = copy.parsed.html as string;
    digestText = copy.parsed.text!;

    await request(app.http)
      .post('/subscribe')
      .type('form')
      .send({ email: 'new-reader@example.com', consent: 'yes', formVersion: 'subscribe-form-v1' })
      .expect(200);
    confirmationHtml = (await smtp.waitForMail('new-reader@example.com'))[0].parsed.html as string;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
    await fixtures?.close();
  });

  const shown: Shown[] = [
    { name: 'archive-index', open: (page) => page.goto(app.config.url('/archive'), { waitUntil: 'load' }) },
    {
      name: 'archive-digest',
      open: (page) => page.goto(app.config.url(`/archive/${digestId}`), { waitUntil: 'load' }),
    },
    { name: 'mail-digest', open: (page) => page.setContent(digestHtml, { waitUntil: 'load' }) },
    { name: 'mail-confirmation', open: (page) => page.setContent(confirmationHtml, { waitUntil: 'load' }) },
  ];

  it.each(shown.flatMap(({ name }) => WIDTHS.map((width) => [name, width] as const)))(
    'shows %s at %i px with no serious or critical WCAG 2 A/AA violation and nothing wider than the screen',
    async (name, width) => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await shown.find((s) => s.name === name)!.open(page);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      const shot = artifactPath(`${name}-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
      await page.close();
    },
  );

  it('sends a text part wrapped at 78 columns, URLs whole, the footer after the "-- " delimiter', () => {
    const lines = digestText.split('\n');
    for (const line of lines) if (Array.from(line).length > 78) expect(line).toMatch(/^https?:\/\/\S+$/);
    expect(lines).toContain(app.config.url(`/unsubscribe/${readerToken}?digest=${digestId}`));
    // Above the heading as well as in the footer.
    expect(lines.slice(0, 3).join(' ')).toContain(`View in your browser: ${app.config.url(`/archive/${digestId}`)}`);
    expect(lines.filter((line) => line === '-- ')).toHaveLength(1);
    const delimiter = lines.indexOf('-- ');
    expect(delimiter).toBeGreaterThan(lines.findLastIndex((line) => line.startsWith('Read more')));
    expect(lines[delimiter + 1]).toBe('BHM Healthcare Solutions');
  });

  it("would catch the footer's former legal line, grey at 3.31:1 on its background", async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><title>Footer</title><body style="background:#f1f4f8"><main><p style="color:#7b8794;font-size:12px">You receive this mail because you subscribed.</p></main></body></html>',
    );
    expect(await seriousAxeViolations(page)).toEqual([expect.objectContaining({ rule: 'color-contrast' })]);
    await page.close();
  });

  it.each(WIDTHS)('lays out the 10-post digest mail at %i px with every image loaded and decorative', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.setContent(digestHtml, { waitUntil: 'load' });
    expect(await page.locator('h2').allInnerTexts()).toEqual([...TOPICS].reverse());
    const images = await page.locator('img').evaluateAll((nodes) =>
      nodes.map((node) => {
        const image = node as unknown as {
          alt: string;
          naturalWidth: number;
          width: number;
          closest(s: string): unknown;
        };
        return { alt: image.alt, loaded: image.naturalWidth > 0, width: image.width, linked: !!image.closest('a') };
      }),
    );
    expect(images).toEqual(Array(7).fill({ alt: '', loaded: true, width: expect.any(Number), linked: false }));
    for (const image of images) expect(image.width).toBeLessThanOrEqual(width);
    const browserLinks = page.getByRole('link', { name: 'View in your browser' });
    expect(await browserLinks.count()).toBe(2);
    expect(await browserLinks.first().getAttribute('href')).toBe(app.config.url(`/archive/${digestId}`));
    expect(await page.getByRole('link', { name: 'Unsubscribe' }).getAttribute('href')).toBe(
      app.config.url(`/unsubscribe/${readerToken}?digest=${digestId}`),
    );
    await page.close();
  });

  it.each([
    ['mail-digest', () => digestHtml],
    ['mail-confirmation', () => confirmationHtml],
  ])('keeps %s readable in dark mode, its header white on dark blue', async (name, html) => {
    const page = await browser.newPage({ viewport: { width: 375, height: 900 }, colorScheme: 'dark' });
    await page.setContent(html(), { waitUntil: 'load' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    const header = await page
      .locator('.tidings-header a')
      .first()
      .evaluate((link) => {
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle;
        const section = (link as unknown as { closest(s: string): unknown }).closest('.tidings-header');
        return {
          color: style(link).color,
          background: (style(section) as unknown as { backgroundColor: string }).backgroundColor,
        };
      });
    expect(header).toEqual({ color: 'rgb(255, 255, 255)', background: 'rgb(11, 60, 93)' });
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(15, 23, 32)');
    await page.screenshot({ path: artifactPath(`${name}-dark-375.png`), fullPage: true });
    await page.close();
  });
});
