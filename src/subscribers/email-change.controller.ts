import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { EmailChangeService, type EmailChangeState } from './email-change.service.js';
import { unsubscribeUrls } from './unsubscribe-links.js';

/** The link mailed to a new address. GET shows a button and changes nothing (mail scanners open links); POST changes. */
@Controller('confirm/email')
export class EmailChangeController {
  constructor(
    private readonly changes: EmailChangeService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const state = await this.changes.inspect(token);
    if (state !== 'valid') return this.problem(state, response);
    response.type('html').send(
      this.pages.render('confirm', 'Confirm your new address', {
        heading: 'Confirm your new address',
        text: `Press the button to receive the ${this.config.company.shortName} weekly digest at this address from now on.`,
        button: 'Confirm my new address',
        action: this.config.url(`/confirm/email/${token}`),
      }),
    );
  }

  @Post(':token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { state, subscriber } = await this.changes.confirm(token, requestContext(request));
    if (state !== 'valid' || !subscriber) return this.problem(state === 'valid' ? 'unknown' : state, response);
    response.type('html').send(
      this.pages.message(
        'Your address is changed',
        [
          `The ${this.config.company.shortName} weekly digest now comes to ${subscriber.email}.`,
          'We sent a short notice to your previous address.',
        ],
        {
          href: unsubscribeUrls(this.config, this.changes.linkToken(subscriber)).manage,
          label: 'Manage your subscription',
        },
      ),
    );
  }

  private problem(state: Exclude<EmailChangeState, 'valid'>, response: Response): void {
    const pages: Record<typeof state, [number, string, string]> = {
      unknown: [
        404,
        'This link is not valid',
        'We could not find this link. Check that you opened the whole address from the mail.',
      ],
      expired: [
        410,
        'This link has expired',
        `Links to a new address work for ${this.config.subscriptions.confirmTokenTtlHours} hours, and only the latest one asked for works. Ask again from your subscription page.`,
      ],
      used: [410, 'This link has already been used', 'The subscription already goes to this address.'],
      taken: [
        409,
        'This address cannot take the subscription',
        'This address is already on our list, or asked us never to write to it. The subscription stays at its previous address.',
      ],
    };
    const [status, heading, text] = pages[state];
    response
      .status(status)
      .type('html')
      .send(this.pages.message(heading, [text]));
  }
}
