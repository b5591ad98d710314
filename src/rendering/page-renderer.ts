import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { TemplateEngine } from './template-engine.js';

export interface PageLink {
  href: string;
  label: string;
}

/** Server-rendered pages: plain HTML forms that work without JavaScript. */
@Injectable()
export class PageRenderer {
  constructor(
    private readonly engine: TemplateEngine,
    private readonly config: AppConfig,
  ) {}

  /**
   * `context.meta`, when given, fills the page's description, canonical URL and Open Graph tags
   * (`{ description, url, og: { type, title, description, image, publishedTime } }`).
   */
  render(name: string, title: string, context: object = {}): string {
    return this.engine.renderPage(name, {
      ...context,
      title,
      company: this.config.company,
      site: {
        faviconUrl: this.config.url('/favicon.svg'),
        feedUrl: this.config.url('/archive/feed.atom'),
      },
    });
  }

  /** A page that only says something: a result, or why a link did not work. */
  message(heading: string, paragraphs: string[], link?: PageLink): string {
    return this.render('message', heading, { heading, paragraphs, link });
  }
}
