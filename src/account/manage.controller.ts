import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { SubscriberDataExportService } from '../delivery/subscriber-data-export.service.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { EmailChangeRefused } from '../subscribers/email-change.service.js';
import { ManageService, PAUSE_WEEKS } from '../subscribers/manage.service.js';
import type { Subscriber } from '../subscribers/subscriber.entity.js';
import { SubscriberStatus } from '../subscribers/subscriber-status.js';
import { digestRef } from '../subscribers/unsubscribe-links.js';
import { UnsubscribeService } from '../subscribers/unsubscribe.service.js';

/**
 * /manage/<token>: the subscriber's own page, linked from every mail. GET only shows; every
 * change is a POST form, because mail scanners follow links.
 */
@Controller('manage')
export class ManageController {
  constructor(
    private readonly manage: ManageService,
    private readonly unsubscribes: UnsubscribeService,
    private readonly exports: SubscriberDataExportService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() response: Response): Promise<void> {
    this.page(response, token, await this.manage.find(token));
  }

  @Post(':token/pause')
  @HttpCode(200)
  async pause(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const weeks = Number(body?.weeks);
    if (!PAUSE_WEEKS.includes(weeks as (typeof PAUSE_WEEKS)[number]))
      throw new BadRequestException(`weeks must be one of ${PAUSE_WEEKS.join(', ')}`);
    const subscriber = await this.manage.pause(token, weeks, requestContext(request));
    this.page(response, token, subscriber, `Paused: no digest until ${this.date(subscriber?.pausedUntil)}.`);
  }

  @Post(':token/resume')
  @HttpCode(200)
  async resume(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const subscriber = await this.manage.resume(token, requestContext(request));
    this.page(response, token, subscriber, 'Resumed: the next digest will come as usual.');
  }

  @Post(':token/format')
  @HttpCode(200)
  async format(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const format = body?.format;
    if (format !== 'html' && format !== 'text') throw new BadRequestException('format must be html or text');
    const subscriber = await this.manage.setFormat(token, format, requestContext(request));
    const said = format === 'text' ? 'plain text only' : 'formatted (HTML) with a plain-text version';
    this.page(response, token, subscriber, `Saved: digests will come as ${said}.`);
  }

  /**
   * A new address: a link goes there, and the answer is the same whether or not the address is
   * already on the list. A refused address brings the form back with what was typed.
   */
  @Post(':token/email')
  @HttpCode(200)
  async email(
    @Param('token') token: string,
    @Body() body: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const typed = typeof body?.email === 'string' ? body.email.slice(0, 320) : '';
    try {
      const subscriber = await this.manage.requestEmailChange(token, body?.email, requestContext(request));
      const notice = subscriber
        ? `Check the inbox of ${typed.trim().toLowerCase()}: we have sent a link there to confirm the change, unless that address is already subscribed. Until the link is opened, the digest keeps coming to ${subscriber.email}.`
        : undefined;
      this.page(response, token, subscriber, notice);
    } catch (error) {
      if (!(error instanceof EmailChangeRefused)) throw error;
      response.status(error.getStatus());
      this.page(response, token, await this.manage.find(token), undefined, { email: typed, error: error.message });
    }
  }

  @Post(':token/unsubscribe')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const digestId = digestRef(request.query.digest);
    await this.unsubscribes.unsubscribe(token, 'manage-page', requestContext(request), digestId);
    this.page(response, token, await this.manage.find(token), 'You are unsubscribed.');
  }

  @Post(':token/resubscribe')
  @HttpCode(200)
  async resubscribe(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const subscriber = await this.manage.resubscribe(token, requestContext(request));
    this.page(response, token, subscriber, 'Welcome back: you are subscribed again.');
  }

  /** The same document as the operator's export (/admin/subscribers/:id/export), as a download. */
  @Post(':token/export')
  @HttpCode(200)
  async export(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const subscriber = await this.manage.find(token);
    const data = subscriber && (await this.exports.export(subscriber.id));
    if (!data) return this.page(response, token, null);
    response
      .type('application/json')
      .attachment(`${this.config.company.shortName.replace(/[^A-Za-z0-9]+/g, '-')}-my-data.json`)
      .send(JSON.stringify(data, null, 2));
  }

  @Post(':token/delete')
  @HttpCode(200)
  async erase(@Param('token') token: string, @Res() response: Response): Promise<void> {
    if (!(await this.manage.erase(token))) return this.page(response, token, null);
    response
      .type('html')
      .send(
        this.pages.message(
          'Everything is deleted',
          [
            'We deleted your address, your name and the history of your subscription.',
            'We keep only a one-way fingerprint of the address, so that nobody can add it back to the list without your new consent.',
          ],
          { href: this.config.url('/subscribe'), label: 'Subscribe again' },
        ),
      );
  }

  private page(
    response: Response,
    _token: string,
    subscriber: Subscriber | null,
    notice?: string,
    emailForm: { email?: string; error?: string } = {},
  ): void {
    if (!subscriber) {
      response
        .status(404)
        .type('html')
        .send(
          this.pages.message(
            'This link is not valid',
            ['We could not find this link. Check that you opened the whole address from the mail.'],
            { href: this.config.url('/subscribe'), label: 'Go to the subscribe page' },
          ),
        );
      return;
    }
    // From the subscriber, not the URL: re-subscribing rotates the links, and the old token is dead.
    const current = this.manage.linkToken(subscriber);
    // Reached from a digest's link, every form keeps naming that digest, so an unsubscribe here counts for it.
    const ref = digestRef(response.req.query.digest);
    const action = (what: string) => this.config.url(`/manage/${current}/${what}${ref ? `?digest=${ref}` : ''}`);
    const paused = subscriber.pausedUntil && subscriber.pausedUntil.getTime() > Date.now();
    response.type('html').send(
      this.pages.render('manage', 'Your subscription', {
        notice,
        email: subscriber.email,
        subscribed: subscriber.status === SubscriberStatus.Confirmed,
        pending: subscriber.status === SubscriberStatus.Pending,
        left: subscriber.status === SubscriberStatus.Unsubscribed || subscriber.status === SubscriberStatus.Bounced,
        pausedUntil: paused ? this.date(subscriber.pausedUntil) : null,
        textOnly: subscriber.mailFormat === 'text',
        pauseWeeks: PAUSE_WEEKS,
        emailForm,
        actions: {
          email: action('email'),
          pause: action('pause'),
          resume: action('resume'),
          format: action('format'),
          unsubscribe: action('unsubscribe'),
          resubscribe: action('resubscribe'),
          export: action('export'),
          delete: action('delete'),
        },
      }),
    );
  }

  private date(value: Date | null | undefined): string {
    return value ? DateTime.fromJSDate(value, { zone: this.config.digest.timeZone }).toFormat('MMMM d, yyyy') : '';
  }
}
