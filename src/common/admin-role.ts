import type { Request } from 'express';

/** Operator roles, weakest first: a role may do everything the ones before it may. */
export const ADMIN_ROLES = ['viewer', 'editor', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const roleAtLeast = (held: AdminRole, needed: AdminRole): boolean =>
  ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(needed);

/** Who made an admin request: a named operator, or (operatorId null) a bootstrap token from ADMIN_TOKENS. */
export interface AdminPrincipal {
  operatorId: string | null;
  /** The operator's email, or `ADMIN_TOKENS` for a bootstrap token. */
  label: string;
  role: AdminRole;
}

export type AdminRequest = Request & { adminPrincipal?: AdminPrincipal };

/**
 * Finds the operator behind a personal token. Declared here, implemented by operators/ (a
 * higher layer, which provides it globally), so that the guard shared by every admin controller
 * needs nothing from above common/.
 */
export abstract class AdminPrincipals {
  /** The live (unrevoked, operator not disabled) token with this SHA-256, or null. */
  abstract byTokenHash(hash: Buffer): Promise<AdminPrincipal | null>;
}

export type AuditOutcome = 'ok' | 'refused' | 'failed';

export interface AdminAuditEntry {
  principal: AdminPrincipal;
  ip: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status: number;
}

/** Where admin changes are recorded; implemented by operators/ (see AdminPrincipals). */
export abstract class AdminAuditTrail {
  abstract record(entry: AdminAuditEntry): Promise<void>;
}
