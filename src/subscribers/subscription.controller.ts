import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { FormOrJsonBodyGuard } from '../common/require-content-type.guard.js';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { CONSENT_TEXTS, CURRENT_FORM_VERSION } from './consent.constants.js';
import { BotCheck } from './bot-check/bot-check.js';
import { checkSubscribeBody, type SubscribeFormErrors } from './dto/subscribe-form-errors.js';
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
    private readonly botCheck: BotCheck,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get(['', 'subscribe'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  subscribePage(): string {
    return this.form({});
  }

  /**
   * Validated here rather than by the global pipe, so that a browser's mistake brings back the
   * form with what was typed and a message at each field; a JSON client gets the usual 400.
   */
  @Post('subscribe')
  @HttpCode(200)
  @UseGuards(FormOrJsonBodyGuard)
  async subscribe(
    @Body() raw: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const checked = await checkSubscribeBody(raw);
    if ('errors' in checked) return this.refuse(raw, request, response, checked.errors);
    const verdict = await this.botCheck.verify(checked.dto.altcha);
    if (verdict.kind === 'refused') {
      const problem = [verdict.problem];
      return this.refuse(raw, request, response, { fields: {}, other: problem, all: problem });
    }
    const body = checked.dto;
    // The DTO has already refused anything these checks would; they only normalise here.
    const email = (checkEmailAddress(body.email) as { email: string }).email;
    const name = (checkSubscriberName(body.name) as { name: string | null }).name;
    const context = requestContext(request);
    await this.rateLimiter.consume(context.ip ?? 'unknown', email, verdict.kind === 'unsolved');
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

  /** A JSON client gets the usual 400; a browser its form back, with what was typed and the problems. */
  private refuse(
    raw: Record<string, unknown>,
    request: Request,
    response: Response,
    errors: SubscribeFormErrors,
  ): void {
    if (request.is('json')) throw new BadRequestException(errors.all);
    const typed = (field: string) => (typeof raw?.[field] === 'string' ? raw[field] : '');
    const values = { errors, email: typed('email'), name: typed('name'), consent: Boolean(typed('consent')) };
    response.status(400).type('html').send(this.form(values));
  }

  private form(values: object): string {
    const { subscriptions, company } = this.config;
    return this.pages.render('subscribe', 'Subscribe', {
      ...values,
      heading: subscriptions.heading,
      intro: subscriptions.intro,
      action: this.config.url('/subscribe'),
      archiveUrl: this.config.url('/archive'),
      formVersion: CURRENT_FORM_VERSION,
      consentText: CONSENT_TEXTS[CURRENT_FORM_VERSION](company.shortName),
      botCheck: this.botCheck.enabled && {
        challengeUrl: this.config.url('/subscribe/challenge'),
        scriptUrl: this.config.url('/assets/bot-check.js'),
      },
    });
  }
}
