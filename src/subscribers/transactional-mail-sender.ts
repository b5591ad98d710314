import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { MailMetrics, type MailKind } from '../mail/mail-metrics.js';
import { MailTransport } from '../mail/mail-transport.js';
import { TemplateEngine } from '../rendering/template-engine.js';

/** One transactional mail: `templates/emails/<template>/` rendered with `context`, to one address. */
export interface TransactionalMail {
  kind: MailKind;
  /** Names the mail in errors and logs: a job's token id, never an address. */
  label: string;
  template: string;
  context: object;
  to: string;
  subject: string;
  headers?: Record<string, string>;
  /** The reader chose plain text: no HTML part. */
  textOnly?: boolean;
}

/** Renders one transactional mail, hands it to the transport, counted, and says what a failure means for its job. */
@Injectable()
export class TransactionalMailSender {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly transport: MailTransport,
    private readonly metrics: MailMetrics,
  ) {}

  async send(mail: TransactionalMail): Promise<void> {
    const { html, text } = await this.engine.renderEmail(mail.template, mail.context);
    try {
      await this.metrics.measure(mail.kind, () =>
        this.transport.send({
          to: mail.to,
          subject: mail.subject,
          ...(mail.textOnly ? {} : { html }),
          text,
          headers: mail.headers,
        }),
      );
    } catch (error) {
      // A refusal will not change on a retry (a mistyped address bounces forever): stop here.
      const failure = this.transport.classify(error);
      if (failure.kind !== 'temporary') throw new UnrecoverableError(`${mail.label} refused: ${failure.reason}`);
      // Not the transport's own error, nor as a cause: its message may name the address, and BullMQ keeps it in Redis.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`${mail.label} failed: ${failure.reason}`);
    }
  }
}
