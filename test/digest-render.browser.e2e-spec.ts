import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { DigestComposer } from '../src/digests/digest-composer.js';
import { weekEndingAt } from '../src/digests/digest-period.js';
import { artifactPath, launchChromium } from './support/browser.js';
import { FixtureServer, insertPosts, plusHours, rss } from './fixtures/digests/posts.js';
import { TestApp } from './support/test-app.js';

const ZONE = 'America/New_York';
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

/** A stand-in for a blog's featured image: 1200x630, served from loopback so the test needs no network. */
const heroSvg = (n: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0b3c5d"/><stop offset="1" stop-color="${['#328cc1', '#1d9a6c', '#d9b310'][n % 3]}"/></linearGradient></defs><rect width="1200" height="630" fill="url(#g)"/><text x="60" y="560" font-family="Helvetica, Arial, sans-serif" font-size="64" fill="#fff">BHM blog · image ${n}</text></svg>`;

describe('the digest in a real browser', () => {
  let fixtures: FixtureServer;
  let app: TestApp;
  let browser: Browser;
  let archiveUrl: string;

  beforeAll(async () => {
    fixtures = await FixtureServer.start();
    app = await TestApp.start({
      env: {
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
    // Through approve, sending and sent, so the real "view in your browser" page shows it.
    for (const status of ['approved', 'sending', 'sent'])
      await app.dataSource.query(`UPDATE digests SET status = $2 WHERE id = $1`, [digest.id, status]);
    archiveUrl = app.config.url(`/archive/${digest.id}`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await fixtures?.close();
  });

  it.each([
    ['desktop', 600],
    ['phone', 375],
  ])(
    'lays out a 10-post digest at %s width (%i px) with every image loaded and nothing wider than the screen',
    async (device, width) => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(archiveUrl, { waitUntil: 'load' });
      expect(await page.locator('h2').count()).toBe(10);
      expect(await page.locator('h2').first().innerText()).toBe(TOPICS[9]);
      const images = await page.locator('img').evaluateAll((nodes) =>
        nodes.map((node) => ({
          alt: (node as unknown as { alt: string }).alt,
          loaded: (node as unknown as { naturalWidth: number }).naturalWidth > 0,
          width: (node as unknown as { width: number }).width,
        })),
      );
      expect(images).toHaveLength(7);
      for (const image of images) {
        expect(image.loaded).toBe(true);
        expect(TOPICS).toContain(image.alt);
        expect(image.width).toBeLessThanOrEqual(width);
      }
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      expect(await page.getByRole('link', { name: 'Unsubscribe' }).getAttribute('href')).toBe(app.config.url('/'));
      const shot = artifactPath(`digest-${device}-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
      await page.close();
    },
  );
});
