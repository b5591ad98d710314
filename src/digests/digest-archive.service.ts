import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DigestPersonalizer } from './digest-personalizer.js';
import { DigestsRepository } from './digests.repository.js';

export interface ArchiveEntry {
  id: string;
  subject: string;
  sentAt: Date;
  postCount: number;
}

/** How many past digests the archive page lists: about four years of weeks. */
const ARCHIVE_PAGE = 200;

/**
 * The public web archive: sent digests only. The per-subscriber placeholders are filled with the
 * subscribe page, so an archived copy carries nobody's unsubscribe link.
 */
@Injectable()
export class DigestArchiveService {
  constructor(
    private readonly digests: DigestsRepository,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<ArchiveEntry[]> {
    const rows = await this.digests.listSent(ARCHIVE_PAGE);
    return rows.map((row) => ({
      id: row.id,
      subject: row.subject ?? '',
      sentAt: row.sentAt ?? row.createdAt,
      postCount: row.postCount,
    }));
  }

  /** The sent digest's HTML for the browser, or null when there is no sent digest with this id. */
  async html(id: string): Promise<string | null> {
    const digest = await this.digests.findSent(id);
    if (!digest?.html || !digest.text) return null;
    return new DigestPersonalizer(digest.html, digest.text).forSubscriber({ unsubscribeUrl: this.config.url('/') })
      .html;
  }
}
