import { type ExecutionContext, ForbiddenException } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  type AdminAuditTrail,
  type AdminPrincipal,
  type AdminRequest,
  type AdminRole,
  roleAtLeast,
} from './admin-role.js';

export const ADMIN_AREA = 'tidings:admin-area';
export const ADMIN_ROLE = 'tidings:admin-role';
export const ADMIN_CHANGE_ROLE = 'tidings:admin-change-role';
export const ADMIN_AUDITED_READ = 'tidings:admin-audited-read';

const READS = new Set(['GET', 'HEAD']);

/** What the guard and the audit interceptor need to know of an admin route. */
export interface AdminRoute {
  neededRole: AdminRole;
  audited: boolean;
  /** `<area>.<handler>`: `digests.approve`, `subscribers.erase`. */
  action: string;
  /** The route's parameters (the digest, subscriber or token acted on), or null. */
  target: string | null;
}

export function adminRoute(reflector: Reflector, context: ExecutionContext): AdminRoute {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  const handler = context.getHandler();
  const controller = context.getClass();
  const read = READS.has(request.method);
  const explicit = reflector.get<AdminRole | undefined>(ADMIN_ROLE, handler);
  const changes = reflector.get<AdminRole | undefined>(ADMIN_CHANGE_ROLE, controller) ?? 'owner';
  const area = reflector.get<string | undefined>(ADMIN_AREA, controller) ?? 'admin';
  const params = Object.values((request.params ?? {}) as Record<string, string>);
  return {
    neededRole: explicit ?? (read ? 'viewer' : changes),
    audited: !read || reflector.get<boolean | undefined>(ADMIN_AUDITED_READ, handler) === true,
    action: `${area}.${handler.name}`,
    target: params.length ? params.join('/').slice(0, 200) : null,
  };
}

export const clientIp = (request: AdminRequest): string | null => request.ip ?? null;

/**
 * The route's least role against the principal's: a refusal is a 403, recorded in the audit log.
 * Shared by the admin API's bearer tokens and the console's sessions, so both decide alike.
 */
export async function checkAdminRole(
  reflector: Reflector,
  audit: AdminAuditTrail,
  context: ExecutionContext,
  principal: AdminPrincipal,
  carrier: string,
): Promise<void> {
  const request = context.switchToHttp().getRequest<AdminRequest>();
  const route = adminRoute(reflector, context);
  if (roleAtLeast(principal.role, route.neededRole)) return;
  await audit.record({ principal, ip: clientIp(request), ...route, outcome: 'refused', status: 403 });
  throw new ForbiddenException(
    `${route.action} needs the ${route.neededRole} role; ${carrier} the ${principal.role} role`,
  );
}
