import { Controller, HttpCode, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { DeliveryEventsService } from './delivery-events.service.js';
import { MailgunWebhook } from './webhooks/mailgun.webhook.js';
import { PostmarkWebhook } from './webhooks/postmark.webhook.js';
import { SendGridWebhook } from './webhooks/sendgrid.webhook.js';
import { SesWebhook } from './webhooks/ses.webhook.js';
import type { WebhookVerifier } from './webhooks/webhook-verifier.js';

/**
 * `POST /webhooks/<provider>`: the body arrives raw (configure-app gives /webhooks its own parser
 * and size limit), is verified by the provider's verifier, and only then parsed and recorded.
 */
@ApiExcludeController()
@Controller('webhooks')
export class WebhooksController {
  private readonly verifiers: Map<string, WebhookVerifier>;

  constructor(
    private readonly events: DeliveryEventsService,
    ses: SesWebhook,
    postmark: PostmarkWebhook,
    mailgun: MailgunWebhook,
    sendgrid: SendGridWebhook,
  ) {
    this.verifiers = new Map([ses, postmark, mailgun, sendgrid].map((verifier) => [verifier.provider, verifier]));
  }

  @Post(':provider')
  @HttpCode(200)
  async receive(@Param('provider') provider: string, @Req() request: Request): Promise<{ accepted: number }> {
    const verifier = this.verifiers.get(provider);
    if (!verifier) throw new NotFoundException(`no webhook for provider ${provider}`);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const events = await verifier.verify({ headers: request.headers, body });
    const verdicts = await this.events.record(provider, events);
    return { accepted: verdicts.length };
  }
}
