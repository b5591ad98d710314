import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { AdminAuditTrail, type AdminPrincipal, AdminPrincipals, type AdminRequest } from './admin-role.js';
import { checkAdminRole } from './admin-route.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

const BOOTSTRAP: AdminPrincipal = { operatorId: null, label: 'ADMIN_TOKENS', role: 'owner' };

/**
 * Bearer tokens: an operator's personal token (looked up by its SHA-256, so a revoked one fails at
 * once) or one of ADMIN_TOKENS (owner-level bootstrap). ADMIN_TOKENS are compared on their
 * hashes, every one of them, so the time does not tell which one nearly matched. Then the
 * route's least role (see AdminController): a refusal is a 403, recorded in the audit log.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly tokens: Buffer[];

  constructor(
    config: AppConfig,
    private readonly reflector: Reflector,
    private readonly principals: AdminPrincipals,
    private readonly audit: AdminAuditTrail,
  ) {
    this.tokens = config.admin.tokens.map(digest);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AdminRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.get('authorization') ?? '');
    const principal = match ? await this.principal(digest(match[1])) : null;
    if (!principal) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="tidings-admin"');
      throw new UnauthorizedException(
        match ? 'the bearer token is not valid' : 'an admin bearer token is required (Authorization: Bearer <token>)',
      );
    }
    request.adminPrincipal = principal;
    await checkAdminRole(this.reflector, this.audit, context, principal, 'this token carries');
    return true;
  }

  private async principal(presented: Buffer): Promise<AdminPrincipal | null> {
    let bootstrap = false;
    for (const token of this.tokens) bootstrap = timingSafeEqual(token, presented) || bootstrap;
    return bootstrap ? BOOTSTRAP : this.principals.byTokenHash(presented);
  }
}
