import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { cancelSendingDigest } from '../delivery/cancel-sending.js';
import { loadDeliveryStats } from '../delivery/delivery-stats.js';
import { MailSender } from '../mail/mail-sender.js';
import { checkEmailAddress } from '../subscribers/email-address.js';
import { checkDigestForDelivery } from './digest-delivery-check.js';
import { Digest } from './digest.entity.js';
import { DigestNotFoundError, DigestStateError } from './digest-errors.js';
import { DigestPersonalizer } from './digest-personalizer.js';
import { DigestStatus } from './digest-status.js';
import { type DigestPostView, type DigestView, toDigestView } from './digest-view.js';
import type { ListDigestsQueryDto } from './dto/list-digests-query.dto.js';

export interface DigestPage {
  items: DigestView[];
  nextCursor: string | null;
}

export interface DigestPreview {
  id: string;
  status: DigestStatus;
  subject: string;
  preheader: string | null;
  html: string;
  text: string;
  /** What the pre-release check says now; empty when the digest may be released. */
  problems: string[];
}

const DEFAULT_PAGE = 20;

/** The operator's side of digests: list, look, cancel, send a test copy. Release goes through DigestReleaser. */
@Injectable()
export class DigestsService {
  private readonly logger = new Logger(DigestsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: MailSender,
    private readonly config: AppConfig,
  ) {}

  /** Newest period first; keyset pagination on (period_end, id). */
  async list(query: ListDigestsQueryDto): Promise<DigestPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const builder = this.repository.createQueryBuilder('d').orderBy('d.period_end', 'DESC').addOrderBy('d.id', 'DESC').take(limit + 1);
    if (after) builder.where('(d.period_end, d.id) < (:end, :id)', after);
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.withStats(page),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  async get(id: string): Promise<DigestView> {
    const digest = await this.find(id);
    const posts: DigestPostView[] = await this.dataSource.query(
      `SELECT dp.position, p.id, p.title, p.url, to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "publishedAt"
         FROM digest_posts dp JOIN posts p ON p.id = dp.post_id
        WHERE dp.digest_id = $1 ORDER BY dp.position`,
      [id],
    );
    const [view] = await this.withStats([digest]);
    return { ...view, posts };
  }

  /** Views with their delivery counts and progress, read from the counters in one query. */
  private async withStats(digests: Digest[]): Promise<DigestView[]> {
    const stats = await loadDeliveryStats(this.dataSource, digests);
    return digests.map((digest) => ({ ...toDigestView(digest, this.archiveUrl(digest)), deliveries: stats.get(digest.id)! }));
  }

  async preview(id: string): Promise<DigestPreview> {
    const digest = await this.withContent(id, 'preview');
    return { id, status: digest.status, subject: digest.subject, preheader: digest.preheader, html: digest.html, text: digest.text, problems: checkDigestForDelivery(digest) };
  }

  /** Before release it frees the posts; during the send it stops the remaining copies. */
  async cancel(id: string, reason?: string): Promise<DigestView> {
    const note = reason?.trim() ? `cancelled: ${reason.trim()}` : null;
    const changed = await this.dataSource.transaction(async (manager) => {
      const [, early] = await manager.query<[unknown[], number]>(
        `UPDATE digests SET status = 'cancelled', cancelled_at = now(), hold_reason = COALESCE($2, hold_reason)
          WHERE id = $1 AND status IN ('composed', 'approved')`,
        [id, note],
      );
      if (early) return true;
      return (await cancelSendingDigest(manager, id, note ?? undefined)) !== null;
    });
    const digest = await this.find(id);
    if (!changed) throw new DigestStateError(`digest ${id} is ${digest.status}; only a composed, approved or sending digest can be cancelled`);
    this.logger.log(`digest ${id} cancelled`);
    return (await this.withStats([digest]))[0];
  }

  /**
   * One copy to an operator. The reader's links become the subscribe page, so the copy unsubscribes
   * nobody; it carries no List-Unsubscribe header because it is not list mail.
   */
  async sendTest(id: string, to: unknown): Promise<{ to: string; messageId: string }> {
    const address = checkEmailAddress(to);
    if (!address.ok) throw new BadRequestException(`to ${address.problem}`);
    const digest = await this.withContent(id, 'send as a test');
    const filled = new DigestPersonalizer(digest.html, digest.text).forReader({ unsubscribeUrl: this.config.url('/') });
    const sent = await this.sender.send({ to: address.email, subject: `[Test] ${digest.subject}`, html: filled.html, text: filled.text });
    this.logger.log(`digest ${id}: test copy sent (${sent.messageId})`);
    return { to: address.email, messageId: sent.messageId };
  }

  private get repository() {
    return this.dataSource.getRepository(Digest);
  }

  private async find(id: string): Promise<Digest> {
    const digest = await this.repository.findOneBy({ id });
    if (!digest) throw new DigestNotFoundError(id);
    return digest;
  }

  private async withContent(id: string, what: string): Promise<Digest & { subject: string; html: string; text: string }> {
    const digest = await this.find(id);
    if (digest.status === DigestStatus.Skipped || !digest.html || !digest.text || !digest.subject) {
      throw new DigestStateError(`digest ${id} is ${digest.status}: its week had no posts, so there is nothing to ${what}`);
    }
    return digest as Digest & { subject: string; html: string; text: string };
  }

  private archiveUrl(digest: Digest): string | null {
    return digest.status === DigestStatus.Sent ? this.config.url(`/archive/${digest.id}`) : null;
  }
}

function encodeCursor(digest: Digest): string {
  return Buffer.from(JSON.stringify([digest.periodEnd.toISOString(), digest.id])).toString('base64url');
}

function decodeCursor(value: string): { end: string; id: string } {
  try {
    const [end, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof end === 'string' && !Number.isNaN(Date.parse(end)) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { end, id };
  } catch {
    // Falls through to the one error below.
  }
  throw new BadRequestException('cursor is not valid: pass back the nextCursor of the previous page unchanged');
}
