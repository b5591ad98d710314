import { applyDecorators, Controller, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import { AdminAuditInterceptor } from './admin-audit.interceptor.js';
import { AdminAuthGuard } from './admin-auth.guard.js';
import type { AdminRole } from './admin-role.js';
import { ADMIN_AREA, ADMIN_AUDITED_READ, ADMIN_CHANGE_ROLE, ADMIN_ROLE } from './admin-route.js';

export interface AdminControllerOptions {
  /** The least role for this controller's changes (every method but GET); owner unless said. */
  changes?: AdminRole;
}

/**
 * A controller under /admin that needs an admin bearer token: the guard, the role check and the
 * audit record cannot be forgotten. A GET needs a viewer; a change needs `options.changes`
 * (owner by default, so a new route is closed until someone decides who may use it). `@MinRole`
 * on a method overrides both.
 */
export function AdminController(path: string, options: AdminControllerOptions = {}): ClassDecorator {
  return applyDecorators(
    Controller(`admin/${path}`),
    SetMetadata(ADMIN_AREA, path.split('/')[0]),
    SetMetadata(ADMIN_CHANGE_ROLE, options.changes ?? 'owner'),
    UseGuards(AdminAuthGuard),
    UseInterceptors(AdminAuditInterceptor),
  );
}

/** The least role for one route, whatever its method. */
export const MinRole = (role: AdminRole) => SetMetadata(ADMIN_ROLE, role);

/** A GET worth an audit record: it hands out readers' data (exports). */
export const AuditedRead = () => SetMetadata(ADMIN_AUDITED_READ, true);
