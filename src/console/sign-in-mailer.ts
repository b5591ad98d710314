import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MailTransport } from '../mail/mail-transport.js';
import { SIGN_IN_LINK_MINUTES } from '../operators/console-sessions.js';

/** The mail with an operator's sign-in link. */
@Injectable()
export class SignInMailer {
  private readonly logger = new Logger(SignInMailer.name);

  constructor(
    private readonly transport: MailTransport,
    private readonly config: AppConfig,
  ) {}

  /**
   * Not awaited by the request: whether a mail goes out must not show in the answer's time, or
   * the sign-in form would tell who is an operator. A failure is logged by operator id only.
   */
  sendInBackground(to: string, operatorId: string, token: string): void {
    const link = this.config.url(`/console/sign-in/${token}`);
    const name = this.config.company.name;
    const text = [
      `Someone (we hope you) asked to sign in to the ${name} newsletter console.`,
      '',
      `Open this link within ${SIGN_IN_LINK_MINUTES} minutes and press "Sign in"; it works once:`,
      link,
      '',
      'If you did not ask, ignore this mail: nobody can sign in without the link.',
    ].join('\n');
    this.transport
      .send({ to, subject: `Your sign-in link to the ${name} console`, text })
      .catch((error: unknown) =>
        this.logger.error(`sign-in link for operator ${operatorId} not sent: ${(error as Error)?.message}`),
      );
  }
}
