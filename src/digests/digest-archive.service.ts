import { Injectable } from '@nestjs/common';
import type { KeysetCursor } from '../common/keyset-cursor.js';
import { AppConfig } from '../config/app-config.js';
import { DigestArchiveRepository, type PublishedDigest, type PublishedPost } from './digest-archive.repository.js';
import { DigestRenderer } from './digest-renderer.js';

export interface ArchiveEntry {
  id: string;
  subject: string;
  sentAt: Date;
  postCount: number;
}

/** A digest as its public web page and its Atom entry show it: no reader's link anywhere. */
export interface ArchivedDigest {
  id: string;
  url: string;
  subject: string;
  /** For `<meta name=description>`, og:description and the Atom summary. */
  description: string;
  sentAt: Date;
  intro: string;
  posts: Array<{
    title: string;
    url: string;
    imageUrl: string | null;
    author: string | null;
    summary: string;
    date: string;
  }>;
  moreCount: number;
  blogUrl: string;
  /** The first post's picture, for og:image. */
  imageUrl: string | null;
}

/** How many past digests an archive page lists: about four years of weeks; older ones are on the next page. */
export const ARCHIVE_PAGE = 200;

/** How many digests the Atom feed carries: a feed reader only needs the recent ones. */
export const FEED_SIZE = 20;

/**
 * The public web archive: sent digests only, shown as web pages built from the digest's record and
 * its posts, never from the mail, so no subscriber's link or placeholder can reach them.
 */
@Injectable()
export class DigestArchiveService {
  constructor(
    private readonly archive: DigestArchiveRepository,
    private readonly renderer: DigestRenderer,
    private readonly config: AppConfig,
  ) {}

  /** A page of the archive, and where the next (older) one starts, if there is one. */
  async list(before: KeysetCursor | null = null): Promise<{ entries: ArchiveEntry[]; next?: KeysetCursor }> {
    const rows = await this.archive.list(ARCHIVE_PAGE + 1, before);
    const entries = rows.slice(0, ARCHIVE_PAGE).map(toEntry);
    const last = rows[ARCHIVE_PAGE - 1];
    return { entries, next: rows.length > ARCHIVE_PAGE ? { at: last.cursorAt, id: last.id } : undefined };
  }

  /** The newest digest in the archive, if any went out yet (the welcome mail links it). */
  async latest(): Promise<ArchiveEntry | undefined> {
    const [row] = await this.archive.list(1, null);
    return row && toEntry(row);
  }

  /** The digest's public page, or null when no digest with this id went out. */
  async digest(id: string): Promise<ArchivedDigest | null> {
    const digest = await this.archive.find(id);
    if (!digest) return null;
    return this.view(digest, await this.archive.posts([id]));
  }

  /** The newest digests with their posts, for the Atom feed. */
  async recent(): Promise<ArchivedDigest[]> {
    const digests = await this.archive.list(FEED_SIZE, null);
    const posts = digests.length ? await this.archive.posts(digests.map((digest) => digest.id)) : [];
    return digests.map((digest) => this.view(digest, posts));
  }

  /** The same cards, dates and intro as the mail (DigestRenderer's context), from the posts as they read now. */
  private view(digest: PublishedDigest, allPosts: PublishedPost[]): ArchivedDigest {
    const posts = allPosts.filter((post) => post.digestId === digest.id);
    const context = this.renderer.context({
      id: digest.id,
      period: { start: new Date(digest.periodStart), end: new Date(digest.periodEnd) },
      posts,
      moreCount: digest.moreCount,
    });
    const subject = digest.subject ?? context.heading;
    return {
      id: digest.id,
      url: this.config.url(`/archive/${digest.id}`),
      subject,
      description: digest.preheader || context.intro,
      sentAt: new Date(digest.publishedAt),
      intro: context.intro,
      posts: context.posts,
      moreCount: digest.moreCount,
      blogUrl: context.blogUrl,
      imageUrl: posts.find((post) => post.imageUrl)?.imageUrl ?? null,
    };
  }
}

function toEntry(row: PublishedDigest): ArchiveEntry {
  return { id: row.id, subject: row.subject ?? '', sentAt: new Date(row.publishedAt), postCount: row.postCount };
}
