import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '../common/keyset-cursor.js';
import { AppConfig } from '../config/app-config.js';
import { DigestPersonalizer } from './digest-personalizer.js';
import { DigestsRepository, type PublishedDigest } from './digests.repository.js';

export interface ArchiveEntry {
  id: string;
  subject: string;
  sentAt: Date;
  postCount: number;
}

/** How many past digests an archive page lists: about four years of weeks; older ones are on the next page. */
export const ARCHIVE_PAGE = 200;

/**
 * The public web archive: sent digests only. The per-subscriber placeholders are filled with the
 * subscribe page, so an archived copy carries nobody's unsubscribe or manage link.
 */
@Injectable()
export class DigestArchiveService {
  constructor(
    private readonly digests: DigestsRepository,
    private readonly config: AppConfig,
  ) {}

  /** A page of the archive, and where the next (older) one starts, if there is one. */
  async list(before: KeysetCursor | null = null): Promise<{ entries: ArchiveEntry[]; next?: KeysetCursor }> {
    const rows = await this.digests.listPublished(ARCHIVE_PAGE + 1, before);
    const entries = rows.slice(0, ARCHIVE_PAGE).map(toEntry);
    const last = rows[ARCHIVE_PAGE - 1];
    return { entries, next: rows.length > ARCHIVE_PAGE ? { at: last.cursorAt, id: last.id } : undefined };
  }

  /** The newest digest in the archive, if any went out yet. */
  async latest(): Promise<ArchiveEntry | undefined> {
    const [row] = await this.digests.listPublished(1, null);
    return row && toEntry(row);
  }

  /**
   * The digest's HTML for the browser from the moment its first copy may have left, or null when
   * no digest with this id went out.
   */
  async html(id: string): Promise<string | null> {
    const digest = await this.digests.findPublished(id);
    if (!digest?.html || !digest.text) return null;
    const subscribePage = this.config.url('/');
    return new DigestPersonalizer(digest.html, digest.text).forSubscriber({
      unsubscribeUrl: subscribePage,
      manageUrl: subscribePage,
    }).html;
  }
}

function toEntry(row: PublishedDigest): ArchiveEntry {
  return { id: row.id, subject: row.subject ?? '', sentAt: new Date(row.publishedAt), postCount: row.postCount };
}
