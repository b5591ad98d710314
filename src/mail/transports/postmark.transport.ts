import { Models, ServerClient } from 'postmark';
import type { AppConfig } from '../../config/app-config.js';
import type { MailFailure } from '../mail-failure.js';
import { MailTransport } from '../mail-transport.js';
import { formatMailbox } from '../mailbox-header.js';
import { newMessageId } from '../message-id.js';
import type { OutgoingMail, SentMail } from '../outgoing-mail.js';
import { classifyPostmarkFailure } from './postmark-failure.js';

/**
 * MAIL_TRANSPORT=postmark: the official client on the broadcast message stream. Postmark's API
 * takes parts, not raw MIME, so there is no `sendRaw`: callers send the same parts and headers,
 * Message-ID included, and Postmark builds the MIME and signs it with the DKIM key of the sender
 * signature set up in Postmark (not DKIM_PRIVATE_KEY). POSTMARK_API_URL points the client at a
 * stand-in through its requestHost/useHttps options.
 */
export class PostmarkTransport extends MailTransport {
  readonly name = 'postmark';
  private readonly client: ServerClient;

  constructor(private readonly config: AppConfig['mail']) {
    super();
    const { serverToken, apiUrl } = config.postmark;
    // The configuration refuses MAIL_TRANSPORT=postmark without a token; this only guards a wrong wiring.
    if (!serverToken) throw new Error('the Postmark transport needs POSTMARK_SERVER_TOKEN');
    const url = apiUrl ? new URL(apiUrl) : undefined;
    this.client = new ServerClient(
      serverToken,
      url ? { useHttps: url.protocol === 'https:', requestHost: url.host, timeout: 30 } : { timeout: 30 },
    );
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? newMessageId(this.config.senderDomain);
    const headers = { ...mail.headers, 'Message-ID': `<${messageId}>` };
    const result = await this.client.sendEmail({
      From: this.config.from,
      To: mail.toName ? formatMailbox({ address: mail.to, name: mail.toName }) : mail.to,
      ...(this.config.replyTo ? { ReplyTo: formatMailbox(this.config.replyTo) } : {}),
      Subject: mail.subject,
      HtmlBody: mail.html,
      TextBody: mail.text,
      MessageStream: this.config.postmark.messageStream,
      TrackOpens: false,
      TrackLinks: Models.LinkTrackingOptions.None,
      Headers: Object.entries(headers).map(([Name, Value]) => ({ Name, Value })),
    });
    return { messageId, providerMessageId: result.MessageID, response: `Postmark accepted ${result.MessageID}` };
  }

  classify(error: unknown): MailFailure {
    return classifyPostmarkFailure(error);
  }

  async close(): Promise<void> {}
}
