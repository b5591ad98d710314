import { Controller, Get, Header, Redirect } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../common/project-root.js';

/** Cached a week: the icon changes with a release, not with the data. */
const CACHE = 'public, max-age=604800';

/** The site's icon, linked from every page's layout; read once, shipped with the templates. */
@Controller()
export class FaviconController {
  private readonly svg = readFileSync(path.join(projectRoot(), 'templates', 'assets', 'favicon.svg'), 'utf8');

  @Get('favicon.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', CACHE)
  icon(): string {
    return this.svg;
  }

  /** Browsers and feed readers ask for /favicon.ico on their own; every current one reads an SVG icon. */
  @Get('favicon.ico')
  @Redirect('/favicon.svg', 301)
  legacy(): void {}
}
