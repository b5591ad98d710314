import { type CanActivate, type ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { isWellFormedToken } from './secret-token.js';

/**
 * Refuses a route's `:token` that we could not have issued, before any interceptor reads the
 * body: guards run before interceptors, so a multipart flood to a made-up link is never parsed.
 */
@Injectable()
export class WellFormedTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!isWellFormedToken(request.params.token)) throw new NotFoundException('unknown link');
    return true;
  }
}
