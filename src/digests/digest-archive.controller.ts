import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor.js';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { DigestArchiveService } from './digest-archive.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * /archive: past digests on the web, and the target of every digest's "View in your browser"
 * link. A mail's HTML is shown as it was sent, under a policy that lets its images and inline
 * styles load and nothing else run.
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
  async list(@Query('before') before: string | undefined, @Res() response: Response): Promise<void> {
    const page = await this.archive.list(typeof before === 'string' ? decodeKeysetCursor(before) : null);
    const entries = page.entries.map((entry) => ({
      href: this.config.url(`/archive/${entry.id}`),
      subject: entry.subject,
      date: DateTime.fromJSDate(entry.sentAt, { zone: this.config.digest.timeZone }).toFormat('MMMM d, yyyy'),
      postCount: entry.postCount,
    }));
    response.type('html').send(
      this.pages.render('archive', 'Past digests', {
        entries,
        older: page.next && this.config.url(`/archive?before=${encodeKeysetCursor(page.next)}`),
        subscribeUrl: this.config.url('/subscribe'),
      }),
    );
  }

  /** A malformed id is simply not a digest: the same clear 404 page, never a 500 from the database. */
  @Get(':id')
  @Header(
    'Content-Security-Policy',
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  )
  async show(@Param('id') id: string, @Res() response: Response): Promise<void> {
    const html = UUID.test(id) ? await this.archive.html(id) : null;
    if (html) {
      response.type('html').send(html);
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
}
