import { Get, Req } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { scheduleInWords } from '../digests/digest-schedule-words.js';
import { ConsoleController, ConsolePage } from './console-controller.decorator.js';
import { ConsolePages } from './console-pages.js';
import type { ConsoleRequest } from './console-request.js';

/**
 * /console/settings: how this instance is configured, read-only. Each value is picked by name, so
 * no key, token, password or connection URL (which may hold a password) can reach the page.
 */
@ConsoleController('settings')
export class SettingsController {
  constructor(
    private readonly pages: ConsolePages,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ConsolePage()
  settings(@Req() request: ConsoleRequest): string {
    const { http, mail, digest, delivery, subscriptions, feeds, botCheck } = this.config;
    const sections = [
      {
        heading: 'Digest',
        rows: [
          ['Schedule', scheduleInWords(digest.cron, digest.timeZone).every],
          ['Approval', digest.approval === 'required' ? 'an operator approves each digest' : 'sent once composed'],
          ['Posts at most', String(digest.maxPosts)],
          ['Subject', digest.subjectTemplate],
          ['Feeds', feeds.urls.join(', ') || 'none'],
        ],
      },
      {
        heading: 'Mail',
        rows: [
          ['Transport', mail.transport],
          ['From', mail.from],
          ['Reply-To', mail.replyTo?.address ?? 'not set'],
          ['DKIM', mail.dkim ? `signed as ${mail.dkim.domainName} (${mail.dkim.keySelector})` : 'not signed'],
          ['Rate', `${delivery.ratePerSecond} per second, ${delivery.concurrency} at once`],
          ['Attempts', `${delivery.maxAttempts} per copy`],
        ],
      },
      {
        heading: 'Subscribing',
        rows: [
          ['Public address', http.publicUrl],
          ['Bot check', botCheck.mode],
          ['Confirmation link works', `${subscriptions.confirmTokenTtlHours} hours`],
          ['Attempts per client address', `${subscriptions.limitPerIpPerMinute} a minute`],
        ],
      },
    ];
    return this.pages.render(request, 'settings', 'Settings', {
      sections: sections.map((section) => ({
        ...section,
        rows: section.rows.map(([name, value]) => ({ name, value })),
      })),
    });
  }
}
