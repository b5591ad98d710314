import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminPrincipal } from '../common/admin-role.js';

/** The one owner of `console_sign_in_links` and `console_sessions`; both keep only SHA-256 hashes. */
@Injectable()
export class ConsoleSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Also clears links and sessions that ended over a day ago: sign-ins are rare, so this keeps both tables small. */
  async insertSignInLink(operatorId: string, hash: Buffer, ttlMinutes: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM console_sign_in_links WHERE expires_at < now() - interval '1 day'`);
    await this.dataSource.query(
      `DELETE FROM console_sessions WHERE coalesce(revoked_at, expires_at) < now() - interval '1 day'`,
    );
    await this.dataSource.query(
      `INSERT INTO console_sign_in_links (token_hash, operator_id, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3))`,
      [hash, operatorId, ttlMinutes],
    );
  }

  /** Whether a link with this hash is unused, unexpired and its operator enabled (reading does not use it). */
  async signInLinkUsable(hash: Buffer): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM console_sign_in_links l JOIN operators o ON o.id = l.operator_id
       WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > now() AND o.disabled_at IS NULL`,
      [hash],
    );
    return rows.length > 0;
  }

  /**
   * Uses the link (once: the UPDATE is the check, so two clicks at the same instant sign in once)
   * and opens a session in the same transaction; null when the link is used, expired or unknown.
   */
  async redeemSignInLink(linkHash: Buffer, sessionHash: Buffer, ttlHours: number): Promise<AdminPrincipal | null> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = await manager.query<[AdminPrincipal[], number]>(
        `UPDATE console_sign_in_links l SET used_at = now() FROM operators o
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > now()
           AND o.id = l.operator_id AND o.disabled_at IS NULL
         RETURNING o.id AS "operatorId", o.email AS label, o.role`,
        [linkHash],
      );
      const principal = rows[0];
      if (!principal) return null;
      await manager.query(
        `INSERT INTO console_sessions (session_hash, operator_id, expires_at)
         VALUES ($1, $2, now() + make_interval(hours => $3))`,
        [sessionHash, principal.operatorId, ttlHours],
      );
      return principal;
    });
  }

  /**
   * The operator behind a live session (not revoked, not expired, not idle too long, operator
   * enabled), with the role they hold now; marks the session seen.
   */
  async principalBySessionHash(hash: Buffer, idleMinutes: number): Promise<AdminPrincipal | null> {
    const [rows] = await this.dataSource.query<[AdminPrincipal[], number]>(
      `UPDATE console_sessions s SET last_seen_at = now() FROM operators o
       WHERE s.session_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
         AND s.last_seen_at > now() - make_interval(mins => $2)
         AND o.id = s.operator_id AND o.disabled_at IS NULL
       RETURNING o.id AS "operatorId", o.email AS label, o.role`,
      [hash, idleMinutes],
    );
    return rows[0] ?? null;
  }

  async revoke(hash: Buffer): Promise<void> {
    await this.dataSource.query(
      `UPDATE console_sessions SET revoked_at = now() WHERE session_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
  }

  /** Every open session of the operator; returns how many were open. */
  async revokeAllOf(operatorId: string): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE console_sessions SET revoked_at = now() WHERE operator_id = $1 AND revoked_at IS NULL`,
      [operatorId],
    );
    return count;
  }
}
