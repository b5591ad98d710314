import { Body, Get, Header, HttpCode, type MessageEvent, Param, Post, Query, Req, Res, Sse } from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { AdminDigestsService } from '../admin/digests/admin-digests.service.js';
import { roleAtLeast } from '../common/admin-role.js';
import { AppConfig } from '../config/app-config.js';
import { DeliveryEnqueuer } from '../delivery/delivery-enqueuer.js';
import { DigestTestSender } from '../delivery/digest-test-sender.js';
import { DigestReleaser } from '../digests/digest-releaser.js';
import { DigestStatus } from '../digests/digest-status.js';
import { DigestsService } from '../digests/digests.service.js';
import { ConsoleController, ConsolePage } from './console-controller.decorator.js';
import { consoleDigestRow } from './console-digest-view.js';
import { ConsolePages } from './console-pages.js';
import { digestProgressEvents } from './digest-progress-events.js';
import type { ConsoleRequest } from './console-request.js';
import { DigestId } from '../admin/digests/digest-id.pipe.js';

/** What the page says after a change; a fixed set, so the query string cannot put words on the page. */
const DONE: Record<string, string> = {
  approved: 'Approved: the digest is released for sending.',
  'test-sent': 'The test copy is on its way.',
  cancelled: 'Cancelled.',
};
const OPEN = new Set<string>([DigestStatus.Composed, DigestStatus.Approved, DigestStatus.Sending]);

/**
 * /console/digests/:id: a digest's preview, its counts by status, and approve, test-send and
 * cancel, which need an editor, through the same services as the admin API's routes.
 */
@ConsoleController('digests', { changes: 'editor' })
export class ConsoleDigestsController {
  constructor(
    private readonly admin: AdminDigestsService,
    private readonly digests: DigestsService,
    private readonly releaser: DigestReleaser,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly testSender: DigestTestSender,
    private readonly pages: ConsolePages,
    private readonly config: AppConfig,
  ) {}

  @Get(':id')
  @ConsolePage()
  async page(
    @Param('id', DigestId) id: string,
    @Query('done') done: unknown,
    @Req() request: ConsoleRequest,
  ): Promise<string> {
    const [digest, preview] = await Promise.all([this.admin.get(id), this.digests.preview(id)]);
    const url = (path = '') => this.config.url(`/console/digests/${id}${path}`);
    const { total, ...counts } = digest.deliveries.counts;
    return this.pages.render(request, 'digest', digest.subject ?? 'Digest', {
      digest: consoleDigestRow(digest, url()),
      notice: typeof done === 'string' ? DONE[done] : undefined,
      counts: Object.entries(counts)
        .filter(([, count]) => count > 0)
        .map(([status, count]) => ({ status, count })),
      total,
      previewUrl: url('/preview'),
      eventsUrl: url('/events'),
      scriptUrl: this.config.url('/console/assets/progress.js'),
      text: preview.text,
      mayChange: roleAtLeast(request.adminPrincipal!.role, 'editor'),
      mayApprove: digest.status === (DigestStatus.Composed as string),
      mayCancel: OPEN.has(digest.status),
      approveUrl: url('/approve'),
      testUrl: url('/test'),
      cancelUrl: url('/cancel'),
    });
  }

  /** The HTML part alone, for the page's iframe: sandboxed, with nothing of ours to reach. */
  @Get(':id/preview')
  @ConsolePage()
  @Header(
    'Content-Security-Policy',
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
  )
  async preview(@Param('id', DigestId) id: string): Promise<string> {
    return (await this.digests.preview(id)).html;
  }

  /** Live progress for the page's bar and counts (see digest-progress-events.ts); the page works without it. */
  @Sse(':id/events')
  events(@Param('id', DigestId) id: string): Observable<MessageEvent> {
    return digestProgressEvents(() => this.admin.get(id));
  }

  @Post(':id/approve')
  @HttpCode(303)
  async approve(@Param('id', DigestId) id: string, @Res() response: Response): Promise<void> {
    // As the admin API: refused (503) before the digest changes when Redis cannot take the fan-out job.
    await this.enqueuer.assertReachable();
    await this.releaser.release(id);
    this.back(response, id, 'approved');
  }

  @Post(':id/test')
  @HttpCode(303)
  async sendTest(
    @Param('id', DigestId) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    await this.testSender.send(id, body?.to);
    this.back(response, id, 'test-sent');
  }

  @Post(':id/cancel')
  @HttpCode(303)
  async cancel(
    @Param('id', DigestId) id: string,
    @Body() body: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const reason = typeof body?.reason === 'string' ? body.reason.slice(0, 500) : undefined;
    await this.admin.cancel(id, reason);
    this.back(response, id, 'cancelled');
  }

  private back(response: Response, id: string, done: keyof typeof DONE): void {
    response.redirect(303, this.config.url(`/console/digests/${id}?done=${done}`));
  }
}
