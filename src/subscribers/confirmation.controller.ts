import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { ConfirmationService, type LinkState } from './confirmation.service.js';

/**
 * GET shows a button and changes nothing, because mail scanners open links; only the POST
 * from that button confirms.
 */
@Controller('confirm')
export class ConfirmationController {
  constructor(
    private readonly confirmation: ConfirmationService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const state = await this.confirmation.inspect(token);
    if (state !== 'valid') return this.problem(state, response);
    response.type('html').send(
      this.pages.render('confirm', 'Confirm your subscription', {
        heading: 'Confirm your subscription',
        text: `Press the button to start receiving the ${this.config.company.shortName} weekly digest.`,
        button: 'Confirm my subscription',
        action: this.config.url(`/confirm/${token}`),
      }),
    );
  }

  @Post(':token')
  @HttpCode(200)
  async confirm(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const state = await this.confirmation.confirm(token, requestContext(request));
    if (state !== 'valid') return this.problem(state, response);
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

  private problem(state: Exclude<LinkState, 'valid'>, response: Response): void {
    const again = { href: this.config.url('/'), label: 'Subscribe again to get a new link' };
    const pages: Record<typeof state, [number, string, string]> = {
      unknown: [
        404,
        'This link is not valid',
        'We could not find this confirmation link. Check that you opened the whole address from the mail.',
      ],
      expired: [
        410,
        'This link has expired',
        `Confirmation links work for ${this.config.subscriptions.confirmTokenTtlHours} hours. Ask for a new one and confirm from the new mail.`,
      ],
      used: [
        410,
        'This link has already been used',
        'This confirmation link was already used. If you are subscribed, nothing more is needed.',
      ],
      withdrawn: [410, 'This link is no longer valid', 'This subscription was cancelled after the link was sent.'],
    };
    const [status, heading, text] = pages[state];
    response
      .status(status)
      .type('html')
      .send(this.pages.message(heading, [text], again));
  }
}
