import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import type { ConsoleRequest } from './console-request.js';

/** Console pages in the site's layout, each with the navigation and the session's CSRF token for its forms. */
@Injectable()
export class ConsolePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  render(request: ConsoleRequest, name: string, title: string, context: object = {}): string {
    const principal = request.adminPrincipal!;
    return this.pages.render(`console/${name}`, title, {
      ...context,
      console: {
        operator: principal.label,
        role: principal.role,
        csrf: request.consoleSession!.csrfToken,
        overviewUrl: this.config.url('/console'),
        signOutUrl: this.config.url('/console/sign-out'),
      },
    });
  }
}
