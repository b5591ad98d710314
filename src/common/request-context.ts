import type { Request } from 'express';

/** The client's address and user agent, as recorded with consent events. */
export function requestContext(request: Request): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip ?? null, userAgent: request.get('user-agent') ?? null };
}
