import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { BodyWithinLimitGuard } from '../common/body-within-limit.guard.js';
import { requestContext } from '../common/request-context.js';
import { WellFormedTokenGuard } from '../common/well-formed-token.guard.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { SubscriberStatus } from './subscriber-status.js';
import { digestRef } from './unsubscribe-links.js';
import { UnsubscribeService } from './unsubscribe.service.js';

/** Unsubscribe links never expire. The page's POST and the RFC 8058 one-click POST both act at once. */
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly unsubscribes: UnsubscribeService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  /**
   * The page knows the state: someone who already left is told so and offered to come back,
   * rather than shown the unsubscribe button again. The one-click URL of List-Unsubscribe,
   * opened in a browser, gets the same page; only its POST is the RFC 8058 action.
   */
  @Get([':token', ':token/one-click'])
  async show(
    @Param('token') token: string,
    @Query('digest') digest: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const subscriber = await this.unsubscribes.find(token);
    if (!subscriber) return this.unknown(response);
    if (subscriber.status === SubscriberStatus.Unsubscribed || subscriber.status === SubscriberStatus.Bounced)
      return this.left(response, token);
    // The digest the link came in travels on to the button and the manage page, to be counted there.
    const ref = digestRef(digest);
    const query = ref ? `?digest=${ref}` : '';
    response.type('html').send(
      this.pages.render('unsubscribe', 'Unsubscribe', {
        action: this.config.url(`/unsubscribe/${token}${query}`),
        manageUrl: this.config.url(`/manage/${token}${query}`),
      }),
    );
  }

  @Post(':token')
  @HttpCode(200)
  async unsubscribe(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const digestId = digestRef(request.query.digest);
    if (!(await this.unsubscribes.unsubscribe(token, 'unsubscribe-page', requestContext(request), digestId)))
      return this.unknown(response);
    this.left(response, token);
  }

  private left(response: Response, token: string): void {
    response.type('html').send(
      this.pages.render('unsubscribed', 'You are unsubscribed', {
        resubscribe: this.config.url(`/manage/${token}/resubscribe`),
        manageUrl: this.config.url(`/manage/${token}`),
      }),
    );
  }

  /**
   * RFC 8058: mailbox providers POST `List-Unsubscribe=One-Click`, form-encoded or multipart,
   * with no cookies, and expect the job done by this one request: no redirect, no page to click.
   */
  @Post(':token/one-click')
  @HttpCode(200)
  @UseGuards(WellFormedTokenGuard, BodyWithinLimitGuard)
  @UseInterceptors(NoFilesInterceptor())
  async oneClick(
    @Param('token') token: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: Request,
  ): Promise<{ status: string }> {
    if (body?.['List-Unsubscribe'] !== 'One-Click') {
      throw new BadRequestException('body must be List-Unsubscribe=One-Click (RFC 8058)');
    }
    const digestId = digestRef(request.query.digest);
    if (!(await this.unsubscribes.unsubscribe(token, 'one-click', requestContext(request), digestId))) {
      throw new NotFoundException('unknown unsubscribe link');
    }
    return { status: 'unsubscribed' };
  }

  private unknown(response: Response): void {
    response
      .status(404)
      .type('html')
      .send(
        this.pages.message(
          'This link is not valid',
          ['We could not find this unsubscribe link. Check that you opened the whole address from the mail.'],
          {
            href: `mailto:${this.config.company.email}`,
            label: `Write to ${this.config.company.email} and we will remove you by hand`,
          },
        ),
      );
  }
}
