import { Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AdminDigestsService } from '../admin/digests/admin-digests.service.js';
import { MinRole } from '../common/admin-controller.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { scheduleInWords } from '../digests/digest-schedule-words.js';
import { ConsoleSessions } from '../operators/console-sessions.js';
import { SubscriberStatus } from '../subscribers/subscriber-status.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import { ConsoleController, ConsolePage } from './console-controller.decorator.js';
import { consoleDigestRow } from './console-digest-view.js';
import { SESSION_COOKIE } from './console-keys.js';
import { ConsolePages } from './console-pages.js';
import type { ConsoleRequest } from './console-request.js';

const LAST_DIGESTS = 8;

/** /console: the state of the newsletter at a glance, and signing out. */
@ConsoleController('overview')
export class OverviewController {
  constructor(
    private readonly digests: AdminDigestsService,
    private readonly subscribers: SubscribersRepository,
    private readonly sessions: ConsoleSessions,
    private readonly pages: ConsolePages,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ConsolePage()
  async overview(@Req() request: ConsoleRequest): Promise<string> {
    const [counts, page] = await Promise.all([
      this.subscribers.countByStatus(),
      this.digests.list({ limit: LAST_DIGESTS }),
    ]);
    const { cron, timeZone, approval } = this.config.digest;
    const digests = page.items.map((digest) =>
      consoleDigestRow(digest, this.config.url(`/console/digests/${digest.id}`)),
    );
    return this.pages.render(request, 'overview', 'Console', {
      confirmed: counts.find((row) => row.status === SubscriberStatus.Confirmed)?.count ?? 0,
      next: scheduleInWords(cron, timeZone).next,
      approval,
      digests,
      alerts: digests.filter((digest) => digest.alert),
    });
  }

  /** Ends this session in PostgreSQL (the cookie alone would be enough to come back otherwise). */
  @Post('sign-out')
  @MinRole('viewer')
  @HttpCode(303)
  async signOut(@Req() request: ConsoleRequest, @Res() response: Response): Promise<void> {
    await this.sessions.signOut(request.consoleSession!.id);
    response.clearCookie(SESSION_COOKIE, { path: '/console' });
    response.redirect(303, this.config.url('/console/sign-in'));
  }
}
