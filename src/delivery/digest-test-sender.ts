import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { DigestsService } from '../digests/digests.service.js';
import { MailTransport } from '../mail/mail-transport.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import { DigestMessageBuilder } from './mailer/digest-message-builder.js';

export interface TestCopySent {
  to: string;
  messageId: string;
}

/**
 * One copy of a digest to an operator, built by the same code as every subscriber's copy, so it
 * shows what they will get: the same list headers, the same Message-ID domain, the same DKIM
 * signature and the same transport path. Only the subject is marked, and every unsubscribe link
 * (in the body and in List-Unsubscribe) leads to the public subscribe page, which unsubscribes
 * nobody. It records nothing and counts in no metric: it is not a delivery.
 */
@Injectable()
export class DigestTestSender {
  private readonly logger = new Logger(DigestTestSender.name);

  constructor(
    private readonly digests: DigestsService,
    private readonly builder: DigestMessageBuilder,
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {}

  async send(digestId: string, to: unknown): Promise<TestCopySent> {
    const address = checkEmailAddress(to);
    if (!address.ok) throw new BadRequestException(`to ${address.problem}`);
    const digest = await this.digests.withContent(digestId, 'send as a test');
    const message = this.builder.message({ subject: `[Test] ${digest.subject}`, html: digest.html, text: digest.text });
    const harmless = this.config.url('/');
    const messageId = this.builder.messageId(`test-${randomBytes(6).toString('hex')}`, digestId);
    const sent = await message.send(
      this.transport,
      this.builder.copy({ address: address.email }, messageId, {
        manage: harmless,
        page: harmless,
        oneClick: harmless,
      }),
    );
    this.logger.log(`digest ${digestId}: test copy sent (${sent.messageId})`);
    return { to: address.email, messageId: sent.messageId };
  }
}
