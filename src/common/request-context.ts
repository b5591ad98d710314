import type { Request } from 'express';

/** Where a consent action came from, recorded with its event. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/** The client's address and user agent, as recorded with consent events. */
export function requestContext(request: Request): RequestContext {
  return { ip: request.ip ?? null, userAgent: request.get('user-agent') ?? null };
}
