import { Body, Controller, Get, Header, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormOrJsonBodyGuard } from '../common/require-content-type.guard.js';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { CONSENT_TEXTS, CURRENT_FORM_VERSION } from './consent.constants.js';
import { SubscribeDto } from './dto/subscribe.dto.js';
import { checkEmailAddress } from './email-address.js';
import { checkSubscriberName } from './subscriber-name.js';
import { SubscriptionRateLimiter } from './subscription-rate-limiter.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** The same words whatever the address's state: the answer must not reveal who is subscribed. */
const ACCEPTED_MESSAGE =
  'Thank you! Check your inbox: we have sent you a link to confirm your subscription, unless this address is already subscribed.';

@Controller()
export class SubscriptionController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly rateLimiter: SubscriptionRateLimiter,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  subscribePage(): string {
    return this.pages.render('subscribe', 'Subscribe', {
      action: this.config.url('/subscribe'),
      formVersion: CURRENT_FORM_VERSION,
      consentText: CONSENT_TEXTS[CURRENT_FORM_VERSION](this.config.company.shortName),
    });
  }

  @Post('subscribe')
  @HttpCode(200)
  @UseGuards(FormOrJsonBodyGuard)
  async subscribe(@Body() body: SubscribeDto, @Req() request: Request, @Res() response: Response): Promise<void> {
    // The DTO has already refused anything these checks would; they only normalise here.
    const email = (checkEmailAddress(body.email) as { email: string }).email;
    const name = (checkSubscriberName(body.name) as { name: string | null }).name;
    const context = requestContext(request);
    await this.rateLimiter.consume(context.ip ?? 'unknown', email);
    await this.subscriptions.subscribe({ email, name, formVersion: body.formVersion, ...context });
    if (request.is('json')) {
      response.json({ status: 'accepted', message: ACCEPTED_MESSAGE });
    } else {
      response
        .type('html')
        .send(
          this.pages.message('Almost done', [
            ACCEPTED_MESSAGE,
            `The link works for ${this.config.subscriptions.confirmTokenTtlHours} hours. If nothing arrives, check your spam folder.`,
          ]),
        );
    }
  }
}
