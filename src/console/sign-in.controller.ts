import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import path from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { AdminAuditTrail } from '../common/admin-role.js';
import { clientIp } from '../common/admin-route.js';
import { FormOrJsonBodyGuard } from '../common/require-content-type.guard.js';
import { AppConfig } from '../config/app-config.js';
import { ConsoleSessions, SESSION_HOURS, SIGN_IN_LINK_MINUTES } from '../operators/console-sessions.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import { SESSION_COOKIE } from './console-keys.js';
import { SignInMailer } from './sign-in-mailer.js';
import { SignInRateLimiter } from './sign-in-rate-limiter.js';

/** The same words whether or not the address is an operator's: the page tells nobody who is one. */
const LINK_SENT = `If this address belongs to an operator, a sign-in link is on its way. It works once, for ${SIGN_IN_LINK_MINUTES} minutes.`;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const PROGRESS_SCRIPT = path.join(projectRoot(), 'templates', 'assets', 'console-progress.js');

/**
 * Signing in by a link sent by mail. Opening the link only shows a button; the POST signs in, so a
 * mail scanner that follows links uses nothing. The session id goes into a signed, httpOnly,
 * SameSite=Lax cookie (Secure in production); PostgreSQL keeps its hash.
 */
@Controller('console')
export class SignInController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly limiter: SignInRateLimiter,
    private readonly mailer: SignInMailer,
    private readonly audit: AdminAuditTrail,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  /** The digest page's progress script: ours, from templates/assets (CSP allows only 'self' scripts). */
  @Get('assets/progress.js')
  progressScript(@Res() response: Response): void {
    response.sendFile(PROGRESS_SCRIPT, { maxAge: '1h' });
  }

  @Get('sign-in')
  form(@Res() response: Response): void {
    response.type('html').send(this.signInForm());
  }

  @Post('sign-in')
  @HttpCode(200)
  @UseGuards(FormOrJsonBodyGuard)
  async askForLink(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    this.assertSameSite(request);
    const address = checkEmailAddress(body?.email);
    if (!address.ok) {
      response
        .status(400)
        .type('html')
        .send(this.signInForm({ error: `email ${address.problem}`, email: body?.email }));
      return;
    }
    await this.limiter.consume(request.ip ?? 'unknown', address.email);
    const link = await this.sessions.issueSignInLink(address.email);
    if (link) this.mailer.sendInBackground(address.email, link.operatorId, link.token);
    response.type('html').send(this.pages.message('Check your inbox', [LINK_SENT]));
  }

  @Get('sign-in/:token')
  async confirmPage(@Param('token') token: string, @Res() response: Response): Promise<void> {
    if (!TOKEN.test(token) || !(await this.sessions.signInLinkUsable(token))) return this.linkUnusable(response);
    response.type('html').send(
      this.pages.render('console/sign-in-confirm', 'Sign in to the console', {
        action: this.config.url(`/console/sign-in/${token}`),
      }),
    );
  }

  @Post('sign-in/:token')
  async signIn(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    this.assertSameSite(request);
    await this.limiter.consume(request.ip ?? 'unknown');
    const session = TOKEN.test(token) ? await this.sessions.redeem(token) : null;
    if (!session) return this.linkUnusable(response);
    await this.audit.record({
      principal: session.principal,
      ip: clientIp(request),
      action: 'console.signIn',
      target: null,
      outcome: 'ok',
      status: 303,
    });
    response.cookie(SESSION_COOKIE, session.sessionId, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.env === 'production',
      path: '/console',
      maxAge: SESSION_HOURS * 3600_000,
    });
    response.redirect(303, this.config.url('/console'));
  }

  /**
   * Refuses a sign-in form posted from another site (login CSRF: signing someone into the
   * attacker's session). Browsers say where a request came from in Sec-Fetch-Site; older ones in
   * Origin (which is "null" under our no-referrer policy, so that says nothing either way).
   */
  private assertSameSite(request: Request): void {
    const site = request.get('sec-fetch-site');
    const origin = request.get('origin');
    const crossSite = site
      ? site !== 'same-origin' && site !== 'none'
      : Boolean(origin && origin !== 'null' && origin !== new URL(this.config.http.publicUrl).origin);
    if (crossSite) throw new ForbiddenException('this sign-in form was posted from another site');
  }

  private linkUnusable(response: Response): void {
    response
      .status(410)
      .type('html')
      .send(
        this.pages.message(
          'This sign-in link no longer works',
          [`A sign-in link works once, for ${SIGN_IN_LINK_MINUTES} minutes. Ask for a new one.`],
          { href: this.config.url('/console/sign-in'), label: 'Ask for a new sign-in link' },
        ),
      );
  }

  private signInForm(values: { error?: string; email?: unknown } = {}): string {
    return this.pages.render('console/sign-in', 'Sign in to the console', {
      action: this.config.url('/console/sign-in'),
      error: values.error,
      email: typeof values.email === 'string' ? values.email : '',
    });
  }
}
