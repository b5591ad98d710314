import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer tokens from ADMIN_TOKENS. Both sides are hashed first so that every comparison takes
 * the same time whatever the lengths, and every configured token is compared, so the time does
 * not tell which one nearly matched. With no token configured, every admin route refuses.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly tokens: Buffer[];

  constructor(config: AppConfig) {
    this.tokens = config.admin.tokens.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.get('authorization') ?? '');
    const presented = digest(match?.[1] ?? '');
    let valid = false;
    for (const token of this.tokens) valid = timingSafeEqual(token, presented) || valid;
    if (!match || !valid) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="tidings-admin"');
      throw new UnauthorizedException(
        match ? 'the bearer token is not valid' : 'an admin bearer token is required (Authorization: Bearer <token>)',
      );
    }
    return true;
  }
}
