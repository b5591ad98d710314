import { BadRequestException, Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { decodeKeysetCursor, encodeKeysetCursor, type KeysetCursor } from '../common/keyset-cursor.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { archiveAtom } from './archive-feed.js';
import { DigestArchiveService } from './digest-archive.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * /archive: past digests on the web, and the target of every digest's "View in your browser"
 * link. Each digest is a page of the site built from its posts, never the mail itself, under a
 * policy that lets the blog's images and our inline styles load and nothing else run.
 */
@Controller('archive')
export class DigestArchiveController {
  constructor(
    private readonly archive: DigestArchiveService,
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  /** Newest first, a page of ARCHIVE_PAGE at a time; `?before=` is the cursor an "Older digests" link carries. */
  @Get()
  async list(@Query('before') before: unknown, @Res() response: Response): Promise<void> {
    const cursor = archiveCursor(before);
    const page = await this.archive.list(cursor);
    const entries = page.entries.map((entry) => ({
      href: this.config.url(`/archive/${entry.id}`),
      subject: entry.subject,
      date: this.date(entry.sentAt),
      postCount: entry.postCount,
    }));
    response.type('html').send(
      this.pages.render('archive', 'Past digests', {
        entries,
        older: page.next && this.config.url(`/archive?before=${encodeKeysetCursor(page.next)}`),
        newest: cursor && this.config.url('/archive'),
        subscribeUrl: this.config.url('/subscribe'),
        meta: {
          description: `Every weekly digest of the ${this.config.company.shortName} blog, newest first.`,
          url: this.config.url('/archive'),
        },
      }),
    );
  }

  /** The newest digests as Atom 1.0, for feed readers. */
  @Get('feed.atom')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  async feed(): Promise<string> {
    return archiveAtom(
      {
        company: this.config.company,
        feedUrl: this.config.url('/archive/feed.atom'),
        archiveUrl: this.config.url('/archive'),
        faviconUrl: this.config.url('/favicon.svg'),
      },
      await this.archive.recent(),
    );
  }

  /** A malformed id is simply not a digest: the same clear 404 page, never a 500 from the database. */
  @Get(':id')
  @Header(
    'Content-Security-Policy',
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  )
  async show(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const digest = UUID.test(id) ? await this.archive.digest(id) : null;
    if (digest) {
      response.type('html').send(
        this.pages.render('archived-digest', digest.subject, {
          ...digest,
          date: this.date(digest.sentAt),
          archiveUrl: this.config.url('/archive'),
          subscribeUrl: this.config.url('/subscribe'),
          subscribeIntro: this.config.subscriptions.intro,
          meta: {
            description: digest.description,
            url: digest.url,
            og: {
              type: 'article',
              title: digest.subject,
              description: digest.description,
              image: digest.imageUrl,
              publishedTime: digest.sentAt.toISOString(),
            },
          },
        }),
      );
      return;
    }
    response
      .status(404)
      .type('html')
      .send(
        this.pages.message(
          'This digest is not in the archive',
          [
            'We could not find a sent digest at this address. It may not have been sent yet, or the link is incomplete.',
          ],
          {
            href: this.config.url('/archive'),
            label: 'See all past digests',
          },
        ),
      );
  }

  private date(at: Date): string {
    return DateTime.fromJSDate(at, { zone: this.config.digest.timeZone }).toFormat('MMMM d, yyyy');
  }
}

/** No cursor (or an empty one) is the newest page; anything but one cursor this service handed out is a 400. */
function archiveCursor(before: unknown): KeysetCursor | null {
  if (before === undefined || before === '') return null;
  try {
    if (typeof before !== 'string') throw new BadRequestException();
    return decodeKeysetCursor(before);
  } catch {
    throw new BadRequestException(
      'before is not a page of the archive: follow the "Older digests" link of the archive, or start from /archive',
    );
  }
}
