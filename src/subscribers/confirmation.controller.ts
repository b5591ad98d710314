import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { ConfirmationService, type LinkView } from './confirmation.service.js';
import { maskAddress } from './mask-address.js';
import { SubscriptionRateLimiter } from './subscription-rate-limiter.js';
import { type ResendOutcome, SubscriptionsService } from './subscriptions.service.js';

type Page = [status: number, heading: string, paragraphs: string[]];

/**
 * GET shows a button and changes nothing, because mail scanners open links; only the POST
 * from that button confirms. Each state of a link has its own page: a confirmed reader is told
 * so, and an expired link offers a new one in one click.
 */
@Controller('confirm')
export class ConfirmationController {
  constructor(
    private readonly confirmation: ConfirmationService,
    private readonly subscriptions: SubscriptionsService,
    private readonly rateLimiter: SubscriptionRateLimiter,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() response: Response): Promise<void> {
    this.linkPage(token, await this.confirmation.inspect(token), response);
  }

  @Post(':token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const link = await this.confirmation.confirm(token, requestContext(request));
    if (link.state !== 'valid') return this.linkPage(token, link, response);
    response
      .type('html')
      .send(
        this.pages.message(
          'You are subscribed',
          [
            `Thank you. The ${this.config.company.shortName} weekly digest will arrive in your inbox once a week.`,
            'Every digest has a link to unsubscribe with one click.',
          ],
          { href: this.config.company.website, label: `Visit ${this.config.company.name}` },
        ),
      );
  }

  /** The expired link page's button: a new link to the same address, under the usual caps. */
  @Post(':token/resend')
  @HttpCode(200)
  async resend(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const link = await this.confirmation.inspect(token);
    if (link.state !== 'expired') return this.linkPage(token, link, response);
    const { id, email } = link.subscriber;
    await this.rateLimiter.consume(requestContext(request).ip ?? 'unknown', email);
    const outcome = await this.subscriptions.resendConfirmation(id, email);
    if (outcome === 'not-pending') return this.linkPage(token, { state: 'withdrawn' }, response);
    const [status, heading, paragraphs] = this.resent(outcome, maskAddress(email));
    if (outcome === 'hourly-cap') response.setHeader('Retry-After', '3600');
    response.status(status).type('html').send(this.pages.message(heading, paragraphs));
  }

  private linkPage(token: string, link: LinkView, response: Response): void {
    const { company, subscriptions } = this.config;
    if (link.state === 'valid') {
      response.type('html').send(
        this.pages.render('confirm', 'Confirm your subscription', {
          heading: 'Confirm your subscription',
          text: `Press the button to start receiving the ${this.config.company.shortName} weekly digest.`,
          button: 'Confirm my subscription',
          action: this.url(token),
        }),
      );
    } else if (link.state === 'expired') {
      const context = {
        action: this.url(token, '/resend'),
        address: maskAddress(link.subscriber.email),
        ttlHours: subscriptions.confirmTokenTtlHours,
      };
      response
        .status(410)
        .type('html')
        .send(this.pages.render('confirm-expired', 'This link has expired', context));
    } else if (link.state === 'confirmed') {
      const text = [
        `This address already receives the ${company.shortName} weekly digest: there is nothing more to do.`,
        'Every digest has a link to unsubscribe with one click.',
      ];
      const archive = { href: this.config.url('/archive'), label: 'Read past digests' };
      response.type('html').send(this.pages.message("You're already subscribed", text, archive));
    } else {
      const [status, heading, text] = this.problem(link.state);
      const again = { href: this.config.url('/'), label: 'Subscribe again to get a new link' };
      response
        .status(status)
        .type('html')
        .send(this.pages.message(heading, text, again));
    }
  }

  private problem(state: 'unknown' | 'used' | 'withdrawn'): Page {
    const pages: Record<typeof state, Page> = {
      unknown: [
        404,
        'This link is not valid',
        ['We could not find this confirmation link. Check that you opened the whole address from the mail.'],
      ],
      used: [
        410,
        'This link has already been used',
        ['This confirmation link was already used, and the subscription has ended since.'],
      ],
      withdrawn: [410, 'This link is no longer valid', ['This subscription was cancelled after the link was sent.']],
    };
    return pages[state];
  }

  private resent(outcome: Exclude<ResendOutcome, 'not-pending'>, address: string): Page {
    const pages: Record<typeof outcome, Page> = {
      queued: [
        200,
        'A new link is on its way',
        [
          `We have sent a new confirmation link to ${address}.`,
          `It works for ${this.config.subscriptions.confirmTokenTtlHours} hours. If nothing arrives, check your spam folder.`,
        ],
      ],
      'daily-cap': [
        429,
        'No more links today',
        [
          `${address} has been sent as many confirmation links today as we send in a day.`,
          'Please ask again tomorrow, and look for the earlier mails in your spam folder.',
        ],
      ],
      'hourly-cap': [
        429,
        'Please try again in an hour',
        ['We are sending many confirmation mails right now and have held yours back.', 'Please ask again in an hour.'],
      ],
    };
    return pages[outcome];
  }

  private url(token: string, suffix = ''): string {
    return this.config.url(`/confirm/${token}${suffix}`);
  }
}
