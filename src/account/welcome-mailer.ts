import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { TransactionalMailJob } from '../common/queue.constants.js';
import { AppConfig } from '../config/app-config.js';
import { DigestArchiveService } from '../digests/digest-archive.service.js';
import { scheduleInWords } from '../digests/digest-schedule-words.js';
import { SubscriberStatus } from '../subscribers/subscriber-status.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import type { TransactionalMailHandler, WelcomeMailJobData } from '../subscribers/transactional-mail.job.js';
import { TransactionalMailHandlers } from '../subscribers/transactional-mail-handlers.js';
import { TransactionalMailSender } from '../subscribers/transactional-mail-sender.js';
import { unsubscribeHeaders, unsubscribeUrls } from '../subscribers/unsubscribe-links.js';

/**
 * The mail right after a confirmation: what comes and when (from DIGEST_CRON in DIGEST_TIMEZONE),
 * the latest digest of the archive or the date of the first one, the manage page and a working
 * unsubscribe, with the same List-Unsubscribe headers as a digest. It sits here, above digests,
 * because it reads the archive; its job runs on the transactional queue of the subscribers feature.
 */
@Injectable()
export class WelcomeMailer implements TransactionalMailHandler<WelcomeMailJobData>, OnModuleInit {
  private readonly logger = new Logger(WelcomeMailer.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly archive: DigestArchiveService,
    private readonly sender: TransactionalMailSender,
    private readonly handlers: TransactionalMailHandlers,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.handlers.register(TransactionalMailJob.Welcome, this);
  }

  /** False when the reader is no longer subscribed (left or erased since confirming): no welcome then. */
  async send(job: WelcomeMailJobData): Promise<boolean> {
    const subscriber = await this.subscribers.findById(job.subscriberId);
    if (subscriber?.status !== SubscriberStatus.Confirmed) {
      this.logger.log(`welcome ${job.tokenId}: nothing to send`);
      return false;
    }
    const { company, digest } = this.config;
    const links = unsubscribeUrls(this.config, this.subscribers.linkToken(subscriber));
    const latest = await this.archive.latest();
    const schedule = scheduleInWords(digest.cron, digest.timeZone);
    const subject = `Welcome to the ${company.shortName} weekly digest`;
    await this.sender.send({
      kind: 'welcome',
      label: `welcome ${job.tokenId}`,
      template: 'welcome',
      context: {
        subject,
        preheader: `What to expect: one mail a week, ${schedule.every}.`,
        company,
        schedule: schedule.every,
        firstOn: schedule.next,
        latest: latest && {
          subject: latest.subject,
          url: this.config.url(`/archive/${latest.id}`),
          date: DateTime.fromJSDate(latest.sentAt, { zone: digest.timeZone }).toFormat('MMMM d, yyyy'),
        },
        unsubscribeUrl: links.page,
        manageUrl: links.manage,
        reason: `You receive this mail because you subscribed to the ${company.shortName} weekly digest and confirmed your address.`,
      },
      to: subscriber.email,
      subject,
      headers: unsubscribeHeaders(links),
      // A reader who chose plain text before (and came back) gets the welcome as they get digests.
      textOnly: subscriber.mailFormat === 'text',
    });
    return true;
  }
}
