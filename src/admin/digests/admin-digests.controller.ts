import { BadRequestException, Body, Get, Header, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AdminController } from '../../common/admin-controller.decorator.js';
import { FormOrJsonBodyGuard } from '../../common/require-content-type.guard.js';
import { AppConfig } from '../../config/app-config.js';
import { DeliveryEnqueuer } from '../../delivery/delivery-enqueuer.js';
import { DigestTestSender, type TestCopySent } from '../../delivery/digest-test-sender.js';
import { DigestComposer } from '../../digests/digest-composer.js';
import { type DigestPeriod, scheduledPeriod, weekEndingAt } from '../../digests/digest-period.js';
import { DigestReleaser } from '../../digests/digest-releaser.js';
import { type DigestView, toDigestView } from '../../digests/digest-view.js';
import { type DigestPreview, DigestsService } from '../../digests/digests.service.js';
import { WeeklyDigestService } from '../../digests/weekly-digest.service.js';
import { type AdminDigestPage, type AdminDigestView, AdminDigestsService } from './admin-digests.service.js';
import { CancelDigestDto } from './dto/cancel-digest.dto.js';
import { DryRunDto } from './dto/dry-run.dto.js';
import { ListDigestsQueryDto } from './dto/list-digests-query.dto.js';
import { TestSendDto } from './dto/test-send.dto.js';
import { DigestId } from './digest-id.pipe.js';

const MAX_PERIOD_DAYS = 31;

/**
 * /admin/digests. With DIGEST_APPROVAL=required an operator previews a composed digest, then
 * approves it (which releases it for sending) or cancels it (which frees its posts).
 */
@AdminController('digests', { changes: 'editor' })
export class AdminDigestsController {
  constructor(
    private readonly admin: AdminDigestsService,
    private readonly enqueuer: DeliveryEnqueuer,
    private readonly digests: DigestsService,
    private readonly composer: DigestComposer,
    private readonly releaser: DigestReleaser,
    private readonly testSender: DigestTestSender,
    private readonly weekly: WeeklyDigestService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  list(@Query() query: ListDigestsQueryDto): Promise<AdminDigestPage> {
    return this.admin.list(query);
  }

  /**
   * What the weekly run would compose for a period, rendered, with the pre-release check's
   * verdict. Stores no digest, so it never blocks the real one.
   */
  @Post('dry-run')
  @HttpCode(200)
  @UseGuards(FormOrJsonBodyGuard)
  async dryRun(@Body() body: DryRunDto) {
    const result = await this.composer.dryRun(this.period(body), { refreshFeeds: body.refreshFeeds });
    return {
      periodStart: result.period.start.toISOString(),
      periodEnd: result.period.end.toISOString(),
      existingDigestId: result.existingDigestId,
      wouldBe: result.rendered ? 'composed' : 'skipped',
      posts: result.draft.posts.map((post, index) => ({
        position: index + 1,
        id: post.id,
        title: post.title,
        url: post.url,
        imageUrl: post.imageUrl,
        publishedAt: post.publishedAt.toISOString(),
      })),
      moreCount: result.draft.moreCount,
      notes: result.notes,
      subject: result.rendered?.subject ?? null,
      preheader: result.rendered?.preheader ?? null,
      html: result.rendered?.html ?? null,
      text: result.rendered?.text ?? null,
      problems: result.problems,
    };
  }

  /**
   * Composes the current period's digest at once, as the weekly run would (released too when
   * DIGEST_APPROVAL=auto); 409 naming the digest when the period already has one.
   */
  @Post('compose')
  async compose(): Promise<DigestView> {
    await this.enqueuer.assertReachable();
    const { cron, timeZone } = this.config.digest;
    const { digest } = await this.weekly.composeNow(scheduledPeriod(cron, timeZone, new Date()));
    return toDigestView(digest, null);
  }

  @Get(':id')
  get(@Param('id', DigestId) id: string): Promise<AdminDigestView> {
    return this.admin.get(id);
  }

  /** Both parts as stored, placeholders included, with the pre-release check's verdict. */
  @Get(':id/preview')
  preview(@Param('id', DigestId) id: string): Promise<DigestPreview> {
    return this.digests.preview(id);
  }

  /** The HTML part alone, to open in a browser tab. */
  @Get(':id/preview/html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'")
  async previewHtml(@Param('id', DigestId) id: string): Promise<string> {
    return (await this.digests.preview(id)).html;
  }

  @Post(':id/approve')
  @HttpCode(200)
  async approve(@Param('id', DigestId) id: string): Promise<DigestView> {
    // Redis must be there to take the fan-out job: refused (503) before the digest changes otherwise.
    await this.enqueuer.assertReachable();
    return toDigestView(await this.releaser.release(id), null);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', DigestId) id: string, @Body() body: CancelDigestDto = {}): Promise<AdminDigestView> {
    return this.admin.cancel(id, body?.reason);
  }

  /** One copy to an operator, built by the workers' code, so it carries the same headers as a real one. */
  @Post(':id/test')
  @HttpCode(200)
  @UseGuards(FormOrJsonBodyGuard)
  sendTest(@Param('id', DigestId) id: string, @Body() body: TestSendDto): Promise<TestCopySent> {
    return this.testSender.send(id, body.to);
  }

  private period(body: DryRunDto): DigestPeriod {
    const { cron, timeZone } = this.config.digest;
    if (!body.periodEnd) {
      if (body.periodStart) throw new BadRequestException('periodStart needs a periodEnd');
      return scheduledPeriod(cron, timeZone, new Date());
    }
    const end = new Date(body.periodEnd);
    const period = body.periodStart ? { start: new Date(body.periodStart), end } : weekEndingAt(end, timeZone);
    if (period.start >= period.end) throw new BadRequestException('periodStart must be before periodEnd');
    if (period.end.getTime() - period.start.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw new BadRequestException(`a period can be at most ${MAX_PERIOD_DAYS} days`);
    }
    return period;
  }
}
