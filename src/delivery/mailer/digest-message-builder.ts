import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Mailbox } from '../../config/mailbox.js';
import { unsubscribeHeaders, type UnsubscribeUrls } from '../../subscribers/unsubscribe-links.js';
import { type DigestCopy, DigestMessage } from './digest-message.js';

export interface DigestContent {
  subject: string;
  html: string;
  text: string;
}

/**
 * The one place a digest's headers are decided, for the workers' copies and the operator's test
 * copy alike: List-Id and List-Archive on the message, List-Unsubscribe and its one-click
 * companion on each copy, and a Message-ID on the sender's domain.
 */
@Injectable()
export class DigestMessageBuilder {
  constructor(private readonly config: AppConfig) {}

  message(content: DigestContent): DigestMessage {
    const { company, delivery, mail } = this.config;
    return new DigestMessage({
      from: mail.from,
      replyTo: mail.replyTo,
      subject: content.subject,
      html: content.html,
      text: content.text,
      headers: {
        'List-Id': `"${company.shortName.replace(/["\\]/g, '')} weekly digest" <${delivery.listId}>`,
        'List-Archive': `<${this.config.url('/archive')}>`,
      },
    });
  }

  /**
   * One copy to `to` (with the subscriber's name when known): `links` fill the body's unsubscribe
   * and manage links and the List-Unsubscribe header.
   */
  copy(to: Mailbox, messageId: string, links: UnsubscribeUrls, textOnly = false): DigestCopy {
    return {
      to: to.address,
      toName: to.name,
      messageId,
      values: { unsubscribeUrl: links.page, manageUrl: links.manage },
      headers: unsubscribeHeaders(links),
      textOnly,
    };
  }

  /**
   * Deterministic for a delivery: if a crash makes us send a copy twice, both carry the same
   * Message-ID, which lets mailbox providers fold the duplicate away. Opaque: a keyed HMAC of the
   * delivery id, so a recipient cannot read our global delivery sequence from it (a plain hash of
   * a small number could be reversed by trying them all).
   */
  messageId(key: string, digestId: string): string {
    const opaque = createHmac('sha256', this.config.subscriptions.suppressionKey)
      .update(`message-id:${digestId}:${key}`)
      .digest('base64url')
      .slice(0, 32);
    return `${opaque}.digest@${this.config.mail.senderDomain}`;
  }
}
