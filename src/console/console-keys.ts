import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

export const SESSION_COOKIE = 'tidings_console';

/**
 * The console's keys, derived from TOKEN_KEY (already required in production) so that signing
 * in needs no new secret: one HMAC for the cookie's signature, one for the forms' CSRF tokens.
 * Changing TOKEN_KEY signs every operator out, as it already voids the readers' links.
 */
@Injectable()
export class ConsoleKeys {
  readonly cookieSecret: string;
  private readonly csrfKey: Buffer;

  constructor(config: AppConfig) {
    const derive = (purpose: string) => createHmac('sha256', config.subscriptions.tokenKey).update(purpose).digest();
    this.cookieSecret = derive('tidings console session cookie').toString('base64url');
    this.csrfKey = derive('tidings console csrf');
  }

  /** The synchronizer token of a session: a form posted without it (another site's) is refused. */
  csrfToken(sessionId: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionId).digest('base64url');
  }

  csrfTokenMatches(sessionId: string, presented: unknown): boolean {
    if (typeof presented !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(sessionId));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
