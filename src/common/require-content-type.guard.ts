import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

const ACCEPTED = ['application/x-www-form-urlencoded', 'application/json'];

/** Refuses a body Nest would not parse, instead of letting it through as an empty object. */
@Injectable()
export class FormOrJsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is(ACCEPTED)) {
      throw new UnsupportedMediaTypeException(`Content-Type must be ${ACCEPTED.join(' or ')}`);
    }
    return true;
  }
}
