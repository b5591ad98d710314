import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import request from 'supertest';
import { projectRoot } from '../src/common/project-root.js';
import { Subscriber } from '../src/subscribers/subscriber.entity.js';
import { encodeAltcha as encode, expiredAltcha, solveAltcha } from './support/altcha.js';
import { checkPageAtBothWidths } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { HttpStandIn } from './support/http-stand-in.js';
import { linkIn } from './support/links.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

const KEY = randomBytes(24).toString('hex');

/** The embed snippet exactly as README.md gives it, pointed at this app instead of news.example.com. */
async function readmeEmbed(appUrl: string): Promise<string> {
  const readme = await readFile(path.join(projectRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Embedding the subscribe form in the blog'));
  const snippet = /```html\n([\s\S]*?)```/.exec(section)![1];
  const body = snippet.replaceAll('https://news.example.com', appUrl);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The blog</title></head><body><main>${body}</main></body></html>`;
}

const decode = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));

describe("the subscribe form's bot check, and the confirmation link's pages, in a real browser", () => {
  let smtp: SmtpSink;
  let blog: HttpStandIn;
  let blogOrigin: string;
  let app: TestApp;
  let browser: Browser;
  /** The solution the widget sent in the first test. */
  let solved: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    let page = '';
    blog = await HttpStandIn.start(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: page }));
    // localhost, where the app is on 127.0.0.1: another site, as a blog on its own domain would be.
    blogOrigin = blog.url.replace('127.0.0.1', 'localhost');
    app = await TestApp.start({
      env: {
        SMTP_URL: smtp.url,
        ALTCHA_HMAC_KEY: KEY,
        CORS_ORIGINS: blogOrigin,
        SUBSCRIBE_LIMIT_UNSOLVED_PER_IP_PER_HOUR: '2',
      },
    });
    page = await readmeEmbed(app.url);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await blog?.close();
    await smtp?.close();
  });

  const subscriber = (email: string) => app.dataSource.getRepository(Subscriber).findOneBy({ email });
  const form = (fields: Record<string, string>) =>
    request(app.http)
      .post('/subscribe')
      .type('form')
      .send({ formVersion: 'subscribe-form-v1', consent: 'yes', ...fields });

  /** Fills the form on the page, presses Subscribe, and returns the post the browser sent. */
  async function subscribeOn(page: Page, email: string): Promise<Request> {
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel(/weekly digest/).check();
    const [post] = await Promise.all([
      page.waitForRequest((sent) => sent.method() === 'POST' && sent.url() === `${app.url}/subscribe`),
      page.getByRole('button', { name: 'Subscribe' }).click(),
    ]);
    await page.getByRole('heading', { name: 'Almost done' }).waitFor();
    return post;
  }

  it('solves the challenge in Chromium from files Tidings serves itself, and subscribes', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (sent) => requested.push(sent.url()));
    // A Content-Security-Policy violation or a failed worker shows up here.
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${app.url}/subscribe`);
    await page.getByText("I'm not a robot").waitFor();
    expect(await checkPageAtBothWidths(page, 'bot-check-form')).toEqual([]);

    await page.setViewportSize({ width: 1280, height: 800 });
    const post = await subscribeOn(page, 'widget@example.com');
    solved = new URLSearchParams(post.postData()!).get('altcha')!;
    const { challenge, solution } = decode(solved);
    expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 1000 });
    expect(solution.counter).toBeGreaterThanOrEqual(2000);
    expect((await subscriber('widget@example.com'))!.status).toBe('pending');
    expect(problems).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(app.url))).toEqual([]);
    expect(requested).toEqual(
      expect.arrayContaining([`${app.url}/subscribe/challenge`, `${app.url}/assets/altcha-pbkdf2.worker.js`]),
    );
    await page.close();
  });

  it('refuses a solution posted again, tampered with or expired, with a 400 that gives the form back', async () => {
    const { challenge, solution } = decode(solved);
    const cases: Array<[string, string]> = [
      [solved, 'altcha: this bot check was already used; press Subscribe again for a new one'],
      [
        encode({ challenge, solution: { ...solution, counter: solution.counter - 1 } }),
        'altcha does not solve its bot check; reload the page and try again',
      ],
      [
        encode({ challenge: { ...challenge, parameters: { ...challenge.parameters, cost: 1 } }, solution }),
        'altcha does not solve its bot check; reload the page and try again',
      ],
      [
        encode(await expiredAltcha(KEY)),
        'altcha: the bot check expired (it lasts 10 minutes); press Subscribe again for a new one',
      ],
      ['bm90IGpzb24=', 'altcha is not a bot-check solution from this form; reload the page and try again'],
    ];
    for (const [altcha, problem] of cases) {
      const page = (await form({ email: 'replay@example.com', altcha }).expect(400)).text;
      expect(page).toContain(`<p class="error" role="alert" id="form-errors">${problem}. </p>`);
      expect(page).toContain('value="replay@example.com"');
      expect(page).toContain('<altcha-widget');
    }
    const json = await request(app.http)
      .post('/subscribe')
      .send({ email: 'replay@example.com', consent: true, altcha: solved })
      .expect(400);
    expect(json.body.message).toMatch(/already used/);
    expect(await subscriber('replay@example.com')).toBeNull();
  });

  it('subscribes with JavaScript off, under a stricter per-address limit for posts without a solution', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/subscribe`);
    expect(await page.getByText("I'm not a robot").count()).toBe(0);
    const post = await subscribeOn(page, 'nojs@example.com');
    expect(new URLSearchParams(post.postData()!).has('altcha')).toBe(false);
    expect((await subscriber('nojs@example.com'))!.status).toBe('pending');
    await context.close();

    // SUBSCRIBE_LIMIT_UNSOLVED_PER_IP_PER_HOUR is 2 here: the page's post was the first.
    await form({ email: 'unsolved-2@example.com' }).expect(200);
    const refused = await form({ email: 'unsolved-3@example.com' }).expect(429);
    expect(refused.text).toContain('Too many subscription attempts from your network without JavaScript');
    // A solved post from the same address still goes through.
    const challenge = (await request(app.http).get('/subscribe/challenge').expect(200)).body;
    await form({ email: 'solved@example.com', altcha: encode(await solveAltcha(challenge)) }).expect(200);
    expect(await subscriber('unsolved-3@example.com')).toBeNull();
    expect(await subscriber('solved@example.com')).not.toBeNull();
  });

  it("works embedded in the blog's page on another site, exactly as README shows", async () => {
    const page = await browser.newPage();
    await page.goto(`${blogOrigin}/blog`);
    await page.getByText("I'm not a robot").waitFor();
    const post = await subscribeOn(page, 'embedded@example.com');
    expect(decode(new URLSearchParams(post.postData()!).get('altcha')!).solution.counter).toBeGreaterThan(0);
    expect((await subscriber('embedded@example.com'))!.status).toBe('pending');
    await page.close();
  });

  it('shows each confirmation link page readably at 1280 and 375 px: expired, resent, already subscribed, unknown', async () => {
    const page = await browser.newPage();
    const { id } = (await subscriber('nojs@example.com'))!;
    const [mail] = await smtp.waitForMail('nojs@example.com');
    const expiredLink = linkIn(mail.parsed.text, `${app.url}/confirm/`);
    await app.dataSource.query(
      `UPDATE confirmation_tokens SET expires_at = now() - interval '1 minute' WHERE subscriber_id = $1`,
      [id],
    );

    expect((await page.goto(expiredLink))!.status()).toBe(410);
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    expect(await page.textContent('main')).toContain('We can send a new link to n•••@e•••.com now');
    expect(await checkPageAtBothWidths(page, 'confirm-expired')).toEqual([]);

    await page.getByRole('button', { name: 'Send me a new link' }).click();
    await page.getByRole('heading', { name: 'A new link is on its way' }).waitFor();
    expect(await checkPageAtBothWidths(page, 'confirm-resent')).toEqual([]);
    const fresh = linkIn((await smtp.waitForMail('nojs@example.com', 2))[1].parsed.text, `${app.url}/confirm/`);

    await page.goto(fresh);
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    await page.goto(expiredLink);
    await page.getByRole('heading', { name: "You're already subscribed" }).waitFor();
    expect(await page.getByRole('link', { name: 'Read past digests' }).getAttribute('href')).toBe(`${app.url}/archive`);
    expect(await checkPageAtBothWidths(page, 'confirm-already-subscribed')).toEqual([]);

    expect((await page.goto(`${app.url}/confirm/${randomBytes(32).toString('base64url')}`))!.status()).toBe(404);
    await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    expect(await checkPageAtBothWidths(page, 'confirm-unknown')).toEqual([]);
    await page.close();
  });
});
