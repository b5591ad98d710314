import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { AppConfig } from '../../config/app-config.js';
import type { MailFailure } from '../mail-failure.js';
import { MailTransport } from '../mail-transport.js';
import { newMessageId } from '../message-id.js';
import type { OutgoingMail, RawMail, SentMail } from '../outgoing-mail.js';
import { RawMessageSigner } from './raw-message-signer.js';
import { classifySesFailure } from './ses-failure.js';

/**
 * MAIL_TRANSPORT=ses: Amazon SES v2 SendEmail with raw content, so the MIME, its headers and the
 * DKIM signature stay ours (built and signed here exactly as the SMTP path does). Each message
 * names SES_CONFIGURATION_SET, whose event destination sends bounces and complaints back through
 * SNS to /webhooks/ses. The SDK's own retries are off: a throttled send goes back to the queue,
 * whose backoff and global rate (DELIVERY_RATE_PER_SECOND) stay the only pacing.
 */
export class SesTransport extends MailTransport {
  readonly name = 'ses';
  private readonly client: SESv2Client;
  private readonly signer: RawMessageSigner;
  private readonly feedbackId: string;

  constructor(private readonly config: AppConfig['mail']) {
    super();
    const { region, endpoint, accessKeyId, secretAccessKey, configurationSet } = config.ses;
    // The configuration refuses MAIL_TRANSPORT=ses without these; this only guards a wrong wiring.
    if (!region || !configurationSet) throw new Error('the SES transport needs SES_REGION and SES_CONFIGURATION_SET');
    this.client = new SESv2Client({
      region,
      endpoint,
      maxAttempts: 1,
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
    this.signer = new RawMessageSigner(config);
    // Gmail's feedback loop groups complaints by this header: campaign:customer:type:sender.
    this.feedbackId = `${configurationSet}:tidings:mail:${config.senderDomain}`;
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const messageId = mail.messageId ?? newMessageId(this.config.senderDomain);
    const headers = { 'Feedback-ID': this.feedbackId, ...mail.headers };
    const raw = await this.signer.build({ ...mail, headers }, messageId);
    return this.deliver(mail.to, messageId, raw);
  }

  async sendRaw(mail: RawMail): Promise<SentMail> {
    const raw = this.signer.sign(mail.raw, { 'Feedback-ID': this.feedbackId });
    return this.deliver(mail.to, mail.messageId, raw);
  }

  private async deliver(to: string, messageId: string, raw: Buffer): Promise<SentMail> {
    const result = await this.client.send(
      new SendEmailCommand({
        Destination: { ToAddresses: [to] },
        Content: { Raw: { Data: raw } },
        ConfigurationSetName: this.config.ses.configurationSet,
      }),
    );
    return {
      messageId,
      providerMessageId: result.MessageId,
      response: `SES accepted ${result.MessageId ?? ''}`.trim(),
    };
  }

  classify(error: unknown): MailFailure {
    return classifySesFailure(error);
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.signer.close();
  }
}
