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
    const current = name === 'overview' ? '' : `/${name}`;
    return this.pages.render(`console/${name}`, title, {
      ...context,
      console: {
        operator: principal.label,
        role: principal.role,
        csrf: request.consoleSession!.csrfToken,
        links: [
          ['Overview', '/console'],
          ['Readers', '/console/readers'],
          ['Audit log', '/console/audit'],
          ['Settings', '/console/settings'],
        ].map(([label, path]) => ({ label, href: this.config.url(path), current: path === `/console${current}` })),
        signOutUrl: this.config.url('/console/sign-out'),
      },
    });
  }
}
