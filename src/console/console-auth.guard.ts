import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminAuditTrail } from '../common/admin-role.js';
import { adminRoute, checkAdminRole, clientIp } from '../common/admin-route.js';
import { ConsoleSessions } from '../operators/console-sessions.js';
import { ConsoleKeys, SESSION_COOKIE } from './console-keys.js';
import { type ConsoleRequest, ConsoleSignInRequired } from './console-request.js';

/**
 * The console's session cookie, then for a change its CSRF token, then the route's least role
 * with the admin API's own check. The session is looked up on every request, so sign-out, a
 * revocation or a disabled operator holds at once, and a changed role counts at once too.
 */
@Injectable()
export class ConsoleAuthGuard implements CanActivate {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly keys: ConsoleKeys,
    private readonly reflector: Reflector,
    private readonly audit: AdminAuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const route = adminRoute(this.reflector, context);
    const sessionId = (request.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    const principal = typeof sessionId === 'string' ? await this.sessions.principal(sessionId) : null;
    if (!principal || typeof sessionId !== 'string') {
      if (!route.audited) throw new ConsoleSignInRequired();
      throw new UnauthorizedException('sign in to the console first: your session has ended');
    }
    request.adminPrincipal = principal;
    request.consoleSession = { id: sessionId, csrfToken: this.keys.csrfToken(sessionId) };
    if (route.audited && !this.keys.csrfTokenMatches(sessionId, (request.body as { _csrf?: unknown })?._csrf)) {
      await this.audit.record({ principal, ip: clientIp(request), ...route, outcome: 'refused', status: 403 });
      throw new ForbiddenException(
        'this form did not come from the console page (its CSRF token is missing or wrong): reload the page and try again',
      );
    }
    await checkAdminRole(this.reflector, this.audit, context, principal, 'your session carries');
    return true;
  }
}
