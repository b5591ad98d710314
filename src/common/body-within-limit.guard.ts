import { type CanActivate, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config.js';

/**
 * BODY_LIMIT for a body Express's own parsers do not read (multipart): a declared length above it
 * is refused before a byte is parsed. A chunked body has no declared length; multer's limits
 * (multipart-limits.ts) bound that one.
 */
@Injectable()
export class BodyWithinLimitGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (Number(request.get('content-length') ?? 0) > this.config.http.bodyLimitBytes) {
      request.resume();
      throw new PayloadTooLargeException(`request body is too large (at most ${this.config.http.bodyLimit})`);
    }
    return true;
  }
}
