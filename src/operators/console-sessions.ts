import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { AdminPrincipal } from '../common/admin-role.js';
import { ConsoleSessionsRepository } from './console-sessions.repository.js';
import { OperatorsRepository } from './operators.repository.js';

/** How long a mailed sign-in link works. */
export const SIGN_IN_LINK_MINUTES = 15;
/** A console session ends this long after sign-in, or after this long unused, whichever comes first. */
export const SESSION_HOURS = 12;
export const SESSION_IDLE_MINUTES = 120;

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const secret = () => randomBytes(32).toString('base64url');

/**
 * Sign-in links and console sessions. The link token and the session id exist only in the mail
 * and the cookie; PostgreSQL keeps their SHA-256 and answers every request, so revoking holds at once.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    private readonly sessions: ConsoleSessionsRepository,
    private readonly operators: OperatorsRepository,
  ) {}

  /** A new link token for an enabled operator with this address; null when there is none. */
  async issueSignInLink(email: string): Promise<{ token: string; operatorId: string } | null> {
    const operator = await this.operators.byEmail(email);
    if (!operator || operator.disabledAt) return null;
    const token = secret();
    await this.sessions.insertSignInLink(operator.id, sha256(token), SIGN_IN_LINK_MINUTES);
    return { token, operatorId: operator.id };
  }

  signInLinkUsable(token: string): Promise<boolean> {
    return this.sessions.signInLinkUsable(sha256(token));
  }

  /** Uses the link and opens a session: the new session id (for the cookie) and who it is. */
  async redeem(token: string): Promise<{ sessionId: string; principal: AdminPrincipal } | null> {
    const sessionId = secret();
    const principal = await this.sessions.redeemSignInLink(sha256(token), sha256(sessionId), SESSION_HOURS);
    return principal && { sessionId, principal };
  }

  principal(sessionId: string): Promise<AdminPrincipal | null> {
    return this.sessions.principalBySessionHash(sha256(sessionId), SESSION_IDLE_MINUTES);
  }

  signOut(sessionId: string): Promise<void> {
    return this.sessions.revoke(sha256(sessionId));
  }

  revokeAllOf(operatorId: string): Promise<number> {
    return this.sessions.revokeAllOf(operatorId);
  }
}
