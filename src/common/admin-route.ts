import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { AdminRequest, AdminRole } from './admin-role.js';

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
