import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { catchError, concatMap, from, map, type Observable } from 'rxjs';
import { AdminAuditTrail, type AdminRequest, type AuditOutcome } from './admin-role.js';
import { adminRoute, clientIp } from './admin-route.js';

/**
 * Records every admin change once, after it ran, with its outcome: one place for all routes, so a
 * new route is audited without remembering to. Reads are not recorded, except those marked
 * `@AuditedRead()`. Refusals by role are recorded by the guard, which runs before this.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AdminAuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AdminAuditTrail,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = adminRoute(this.reflector, context);
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const principal = request.adminPrincipal;
    if (!route.audited || !principal) return next.handle();
    const record = (outcome: AuditOutcome, status: number) =>
      this.audit
        .record({ principal, ip: clientIp(request), action: route.action, target: route.target, outcome, status })
        .catch((error: unknown) => this.logger.error(`audit record of ${route.action} failed: ${String(error)}`));
    // Nest sets the status after interceptors: read it where Nest does, from @HttpCode or the method.
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    return next.handle().pipe(
      concatMap((value: unknown) => from(record('ok', status)).pipe(map(() => value))),
      catchError((error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        return from(record(status === 403 ? 'refused' : 'failed', status)).pipe(
          concatMap(() => {
            throw error;
          }),
        );
      }),
    );
  }
}
