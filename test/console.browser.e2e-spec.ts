import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { checkPageAtBothWidths } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { digestStatus, insertApprovedDigest, insertConfirmedSubscribers } from './support/digest-fixtures.js';
import { linkIn } from './support/links.js';
import { databaseFingerprint, operatorWithToken } from './support/operators.js';
import { SmtpSink } from './support/smtp-sink.js';
import { TestApp } from './support/test-app.js';

const BOOTSTRAP = 'b'.repeat(40);
const EDITOR = 'editor@example.org';
const VIEWER = 'viewer@example.org';
const SUBJECT = 'BHM Healthcare weekly: Console digest';

describe('the operator console in a real browser', () => {
  let smtp: SmtpSink;
  let app: TestApp;
  let browser: Browser;
  let editorId: string;
  let digestId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    app = await TestApp.start({ env: { SMTP_URL: smtp.url, ADMIN_TOKENS: BOOTSTRAP, DIGEST_APPROVAL: 'required' } });
    editorId = (await operatorWithToken(app.http, BOOTSTRAP, EDITOR, 'editor')).id;
    await operatorWithToken(app.http, BOOTSTRAP, VIEWER, 'viewer');
    await insertConfirmedSubscribers(app.dataSource, 3, 'console');
    // A digest composed and held for approval (DIGEST_APPROVAL=required).
    digestId = await insertApprovedDigest(app.dataSource, SUBJECT);
    await app.dataSource.query(`UPDATE digests SET status = 'composed', approved_at = NULL WHERE id = $1`, [digestId]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await smtp?.close();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const accessible = async (page: Page, name: string) =>
    expect(await checkPageAtBothWidths(page, `console-${name}`)).toEqual([]);
  /** Every table but the audit log and console_sessions, whose last_seen_at each request moves by design. */
  const fingerprint = async () => {
    const { console_sessions: _, ...rest } = await databaseFingerprint(app.dataSource);
    return rest;
  };
  const digestUrl = () => `${app.url}/console/digests/${digestId}`;
  const auditActions = async (operatorId: string) =>
    (
      await app.dataSource.query<Array<{ action: string; outcome: string }>>(
        `SELECT action, outcome FROM audit_log WHERE operator_id = $1 ORDER BY at, id`,
        [operatorId],
      )
    ).map((row) => `${row.action}:${row.outcome}`);

  /** Asks for a link on the sign-in page, reads it from the mail and presses the button it shows. */
  async function signIn(page: Page, email: string, check?: string): Promise<void> {
    const before = smtp.to(email).length;
    await page.goto(`${app.url}/console/sign-in`);
    if (check) await accessible(page, `${check}-sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const [mail] = (await smtp.waitForMail(email, before + 1)).slice(before);
    await page.goto(linkIn(mail.parsed.text, `${app.url}/console/sign-in/`));
    if (check) await accessible(page, `${check}-sign-in-confirm`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  }

  /** A console change posted from the page's own browser context, with its cookie: `csrf` as given. */
  const post = (page: Page, path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    page.request.post(`${app.url}${path}`, { form, headers, maxRedirects: 0 });
  const csrfOf = async (page: Page) => (await page.locator('input[name=_csrf]').first().getAttribute('value'))!;

  it('answers an unknown address as it answers an operator, and sends it nothing', async () => {
    const page = await newPage();
    await page.goto(`${app.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.getByLabel('Email address').fill('nobody@example.org');
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await accessible(page, 'link-sent');
    const unknownAnswer = await page.textContent('main');
    await page.goto(`${app.url}/console/sign-in`);
    await page.getByLabel('Email address').fill(EDITOR);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await page.textContent('main')).toBe(unknownAnswer);
    await smtp.waitForMail(EDITOR);
    expect(smtp.to('nobody@example.org')).toHaveLength(0);
  });

  it('signs an editor in by the mailed link, once, and shows the overview with what needs attention', async () => {
    const page = await newPage();
    const [mail] = await smtp.waitForMail(EDITOR);
    const link = linkIn(mail.parsed.text, `${app.url}/console/sign-in/`);
    // Opening the link (as a mail scanner would) uses nothing: the button does.
    expect((await request(app.http).get(new URL(link).pathname)).status).toBe(200);
    const [{ hash }] = await app.dataSource.query(
      `SELECT encode(token_hash, 'hex') AS hash FROM console_sign_in_links`,
    );
    expect(link).not.toContain(hash);
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await accessible(page, 'overview');
    expect(await page.textContent('#confirmed')).toBe('3');
    expect(await page.locator('.alerts').textContent()).toContain('awaiting approval');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tidings_console')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });
    expect((await page.goto(link))!.status()).toBe(410);
    expect(await auditActions(editorId)).toContain('console.signIn:ok');
  });

  it('refuses a viewer the approve (403) and changes nothing', async () => {
    const page = await newPage();
    await signIn(page, VIEWER);
    await page.goto(digestUrl());
    await accessible(page, 'digest-viewer');
    expect(await page.getByRole('button', { name: 'Approve and send' }).count()).toBe(0);
    const before = await fingerprint();
    const refused = await post(page, `/console/digests/${digestId}/approve`, { _csrf: await csrfOf(page) });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('needs the editor role');
    expect(await fingerprint()).toEqual(before);
    expect(await digestStatus(app.dataSource, digestId)).toBe('composed');
  });

  it('refuses a cross-site form post that carries the session cookie but not the CSRF token', async () => {
    const page = await newPage();
    await signIn(page, EDITOR);
    const before = await fingerprint();
    const forged = await post(page, `/console/digests/${digestId}/approve`, {}, { Origin: 'http://evil.example' });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('CSRF token');
    const wrong = await post(page, `/console/digests/${digestId}/approve`, { _csrf: 'x'.repeat(43) });
    expect(wrong.status()).toBe(403);
    expect(await fingerprint()).toEqual(before);
  });

  it('opens the digest, sends a test copy, approves it, and a revoked session stops working', async () => {
    const page = await newPage();
    await signIn(page, EDITOR, 'editor');
    await page.getByRole('link', { name: SUBJECT }).first().click();
    await page.getByRole('heading', { name: SUBJECT }).waitFor();
    await accessible(page, 'digest');
    const preview = page.frameLocator('iframe.preview');
    expect(await preview.locator('h1').textContent()).toBe(SUBJECT);
    expect(await page.locator('.text-part').textContent()).toContain('Healthcare news.');

    await page.getByLabel('Send a test copy to').fill('proof@example.org');
    await page.getByRole('button', { name: 'Send test copy' }).click();
    await page.getByText('The test copy is on its way.').waitFor();
    const [copy] = await smtp.waitForMail('proof@example.org');
    expect(copy.parsed.subject).toBe(`[Test] ${SUBJECT}`);

    await page.getByRole('button', { name: 'Approve and send' }).click();
    await page.getByText('Approved: the digest is released for sending.').waitFor();
    expect(await digestStatus(app.dataSource, digestId)).not.toBe('composed');
    // The page follows the send over Server-Sent Events, without a reload.
    await page.locator('#digest-status', { hasText: /^sent$/ }).waitFor({ timeout: 20_000 });
    expect(await page.locator('progress[data-events]').getAttribute('value')).toBe('100');
    expect(await page.textContent('#progress-live')).toContain('sent 3');
    expect(await auditActions(editorId)).toEqual(
      expect.arrayContaining(['console.digests.sendTest:ok', 'console.digests.approve:ok']),
    );

    await request(app.http)
      .delete(`/admin/operators/${editorId}/sessions`)
      .set('Authorization', `Bearer ${BOOTSTRAP}`)
      .expect(200);
    await page.goto(`${app.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    const after = await post(page, `/console/digests/${digestId}/cancel`, { _csrf: 'whatever' });
    expect(after.status()).toBe(401);
  });

  it('searches readers, lists the audit log and shows the settings without a secret, then signs out', async () => {
    const page = await newPage();
    await signIn(page, VIEWER);
    await page.getByRole('link', { name: 'Readers' }).click();
    await page.getByLabel('Part of the address').fill('console00002');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#readers').waitFor();
    expect(await page.locator('#readers li').allTextContents()).toEqual([
      expect.stringContaining('console00002@example.com'),
    ]);
    await accessible(page, 'readers');
    expect((await page.goto(`${app.url}/console/readers?status=gone`))!.status()).toBe(400);
    expect(await page.textContent('main')).toContain('status must be one of');

    await page.goto(`${app.url}/console/audit`);
    const audit = (await page.textContent('#audit'))!;
    expect(audit).toContain('console.digests.approve');
    expect(audit).toContain('console.signIn');
    await accessible(page, 'audit');

    await page.goto(`${app.url}/console/settings`);
    await accessible(page, 'settings');
    const settings = (await page.textContent('main'))!;
    expect(settings).toContain('an operator approves each digest');
    for (const secret of [app.config.subscriptions.tokenKey, app.config.database.url, app.config.redis.url, BOOTSTRAP])
      expect(settings).not.toContain(secret);

    const cookie = (await page.context().cookies()).find((c) => c.name === 'tidings_console')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    // The old cookie, put back, opens nothing.
    await page.context().addCookies([cookie]);
    await page.goto(`${app.url}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });
});
