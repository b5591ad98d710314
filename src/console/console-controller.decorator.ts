import {
  applyDecorators,
  Controller,
  Header,
  SetMetadata,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { AdminAuditInterceptor } from '../common/admin-audit.interceptor.js';
import { ADMIN_AREA, ADMIN_CHANGE_ROLE } from '../common/admin-route.js';
import type { AdminControllerOptions } from '../common/admin-controller.decorator.js';
import { ConsoleAuthGuard } from './console-auth.guard.js';
import { ConsoleSignInFilter } from './console-sign-in.filter.js';

/**
 * A console area under /console, behind a session: like AdminController, a page (GET) needs a
 * viewer, a change `options.changes` (owner unless said), `@MinRole` overrides, and every change
 * is audited, as `console.<area>.<handler>`. Pages are HTML.
 */
export function ConsoleController(area: string, options: AdminControllerOptions = {}): ClassDecorator {
  return applyDecorators(
    Controller(area === 'overview' ? 'console' : `console/${area}`),
    SetMetadata(ADMIN_AREA, `console.${area}`),
    SetMetadata(ADMIN_CHANGE_ROLE, options.changes ?? 'owner'),
    UseGuards(ConsoleAuthGuard),
    UseInterceptors(AdminAuditInterceptor),
    UseFilters(ConsoleSignInFilter),
  );
}

/** A page answer: HTML, never cached. */
export const ConsolePage = () => Header('Content-Type', 'text/html; charset=utf-8');
