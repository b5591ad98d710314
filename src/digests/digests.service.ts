import { Injectable, Logger } from '@nestjs/common';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor.js';
import { AppConfig } from '../config/app-config.js';
import { checkDigestForDelivery } from './digest-delivery-check.js';
import type { Digest } from './digest.entity.js';
import { DigestNotFoundError, DigestStateError } from './digest-errors.js';
import { DigestStatus } from './digest-status.js';
import { type DigestPostView, type DigestView, toDigestView } from './digest-view.js';
import { DigestsRepository } from './digests.repository.js';

export interface DigestPage {
  items: Digest[];
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

/**
 * Reading digests and acting on them before release. Release goes through DigestReleaser; the
 * send, and a test copy (DigestTestSender), are the delivery feature's.
 */
@Injectable()
export class DigestsService {
  private readonly logger = new Logger(DigestsService.name);

  constructor(
    private readonly digests: DigestsRepository,
    private readonly config: AppConfig,
  ) {}

  /** Newest period first; keyset pagination on (period_end, id). */
  async list(query: { limit?: number; cursor?: string }): Promise<DigestPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.digests.page(limit, query.cursor ? decodeKeysetCursor(query.cursor) : null);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor: rows.length > limit && last ? encodeKeysetCursor({ at: last.cursorAt, id: last.id }) : null,
    };
  }

  /** The view of a digest already read, with its posts when given. */
  view(digest: Digest, posts?: DigestPostView[]): DigestView {
    return toDigestView(digest, this.archiveUrl(digest), posts);
  }

  postsOf(id: string): Promise<DigestPostView[]> {
    return this.digests.postsOf(id);
  }

  async preview(id: string): Promise<DigestPreview> {
    const digest = await this.withContent(id, 'preview');
    return {
      id,
      status: digest.status,
      subject: digest.subject,
      preheader: digest.preheader,
      html: digest.html,
      text: digest.text,
      problems: checkDigestForDelivery(digest),
    };
  }

  /** Before release: the digest is cancelled and its posts are free for the next one. False when it was already released or finished. */
  async cancelUnreleased(id: string, note: string | null): Promise<boolean> {
    const changed = await this.digests.cancelUnreleased(id, note);
    if (changed) this.logger.log(`digest ${id} cancelled before release`);
    return changed;
  }

  async find(id: string): Promise<Digest> {
    const digest = await this.digests.findById(id);
    if (!digest) throw new DigestNotFoundError(id);
    return digest;
  }

  /** A digest with its rendered parts, or a 409 naming why it has none. */
  async withContent(id: string, what: string): Promise<Digest & { subject: string; html: string; text: string }> {
    const digest = await this.find(id);
    if (digest.status === DigestStatus.Skipped || !digest.html || !digest.text || !digest.subject) {
      throw new DigestStateError(
        `digest ${id} is ${digest.status}: its week had no posts, so there is nothing to ${what}`,
      );
    }
    return digest as Digest & { subject: string; html: string; text: string };
  }

  private archiveUrl(digest: Digest): string | null {
    return digest.status === DigestStatus.Sent ? this.config.url(`/archive/${digest.id}`) : null;
  }
}
