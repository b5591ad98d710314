import { Injectable, NotFoundException } from '@nestjs/common';
import { DeliveriesRepository } from '../../delivery/deliveries.repository.js';
import { DeliveryViewsRepository } from '../../delivery/delivery-views.repository.js';
import { DeliveryControlService } from '../../delivery/delivery-control.service.js';
import { type DeliveryStats, loadDeliveryStats } from '../../delivery/delivery-stats.js';
import type { Digest } from '../../digests/digest.entity.js';
import { DigestNotFoundError, DigestStateError } from '../../digests/digest-errors.js';
import type { DigestView } from '../../digests/digest-view.js';
import { DigestsService } from '../../digests/digests.service.js';
import { ConsentEventsRepository } from '../../subscribers/consent-events.repository.js';
import type { DeliveryPageDto } from './dto/delivery.dto.js';
import type { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto.js';
import type { ListDigestsQueryDto } from './dto/list-digests-query.dto.js';

/** A digest as the operator sees it: with its delivery counts, progress, rate and time left. */
export type AdminDigestView = DigestView & { deliveries: DeliveryStats };

export interface AdminDigestPage {
  items: AdminDigestView[];
  nextCursor: string | null;
}

/**
 * The operator's view of digests and their sends. It sits above both features: the digests
 * feature knows nothing of deliveries, and the delivery feature nothing of the admin API.
 */
@Injectable()
export class AdminDigestsService {
  constructor(
    private readonly digests: DigestsService,
    private readonly deliveries: DeliveriesRepository,
    private readonly deliveryViews: DeliveryViewsRepository,
    private readonly control: DeliveryControlService,
    private readonly consent: ConsentEventsRepository,
  ) {}

  async list(query: ListDigestsQueryDto): Promise<AdminDigestPage> {
    const page = await this.digests.list(query);
    return { items: await this.withStats(page.items), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<AdminDigestView> {
    // A dashboard polls this during a send: one read of the digest, then the rest side by side.
    const digest = await this.digests.find(id);
    const [posts, stats] = await Promise.all([
      this.digests.postsOf(id),
      loadDeliveryStats(this.deliveries, this.consent, [digest]),
    ]);
    return { ...this.digests.view(digest, posts), deliveries: stats.get(id)! };
  }

  /** Before release it frees the posts; during the send it stops the remaining copies. */
  async cancel(id: string, reason?: string): Promise<AdminDigestView> {
    const note = reason?.trim() ? `cancelled: ${reason.trim()}` : null;
    const changed =
      (await this.digests.cancelUnreleased(id, note)) ||
      (await this.control.cancelSending(id, note ?? undefined)) !== null;
    const digest = await this.digests.find(id);
    if (!changed)
      throw new DigestStateError(
        `digest ${id} is ${digest.status}; only a composed, approved or sending digest can be cancelled`,
      );
    return (await this.withStats([digest]))[0];
  }

  async deliveryPage(id: string, query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    // Only "no such digest" becomes this 404; an outage must still reach the filter as a 503.
    await this.digests.find(id).catch((error: unknown) => {
      throw error instanceof DigestNotFoundError ? new NotFoundException(`digest ${id} does not exist`) : error;
    });
    const limit = query.limit ?? 100;
    const rows = await this.deliveryViews.page(
      id,
      query.status ?? null,
      query.cursor ? query.cursor.slice(1) : '0',
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? `d${page[page.length - 1].id}` : null };
  }

  private async withStats(digests: Digest[]): Promise<AdminDigestView[]> {
    const stats = await loadDeliveryStats(this.deliveries, this.consent, digests);
    return digests.map((digest) => ({ ...this.digests.view(digest), deliveries: stats.get(digest.id)! }));
  }
}
