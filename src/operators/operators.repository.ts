import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminPrincipal, AdminRole } from '../common/admin-role.js';

export interface OperatorView {
  id: string;
  email: string;
  role: AdminRole;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface OperatorTokenView {
  id: string;
  operatorId: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const OPERATOR = `id, email, role, created_at AS "createdAt", disabled_at AS "disabledAt"`;
const TOKEN = `id, operator_id AS "operatorId", name, created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** Any constant: taken for the length of a transaction that changes an operator's role or state. */
const OPERATOR_CHANGES_LOCK = 7_412_202_613;

/** The one owner of `operators` and `operator_tokens`. Takes a DataSource so the CLI can build it without Nest. */
@Injectable()
export class OperatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The new operator, or null when the address is taken (case-insensitively). */
  async insert(email: string, role: AdminRole): Promise<OperatorView | null> {
    const [row] = await this.dataSource.query<OperatorView[]>(
      `INSERT INTO operators (email, role) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING ${OPERATOR}`,
      [email, role],
    );
    return row ?? null;
  }

  /** Makes `email` an owner only while there is no owner at all; returns it when it did. */
  async insertFirstOwner(email: string): Promise<OperatorView | null> {
    const [row] = await this.dataSource.query<OperatorView[]>(
      `INSERT INTO operators (email, role) SELECT $1, 'owner'
       WHERE NOT EXISTS (SELECT 1 FROM operators WHERE role = 'owner') ON CONFLICT DO NOTHING RETURNING ${OPERATOR}`,
      [email],
    );
    return row ?? null;
  }

  list(): Promise<OperatorView[]> {
    return this.dataSource.query(`SELECT ${OPERATOR} FROM operators ORDER BY created_at, id`);
  }

  async byId(id: string): Promise<OperatorView | null> {
    const [row] = await this.dataSource.query<OperatorView[]>(`SELECT ${OPERATOR} FROM operators WHERE id = $1`, [id]);
    return row ?? null;
  }

  async byEmail(email: string): Promise<OperatorView | null> {
    const [row] = await this.dataSource.query<OperatorView[]>(
      `SELECT ${OPERATOR} FROM operators WHERE lower(email) = lower($1)`,
      [email],
    );
    return row ?? null;
  }

  /**
   * Changes role and/or disables (true) or re-enables (false). Refuses, returning 'last-owner', a
   * change that would take away the last enabled owner. Changes of operators run one at a time
   * (a transaction-level advisory lock), so two owners demoting each other at the same instant
   * cannot both pass the check.
   */
  async update(
    id: string,
    change: { role?: AdminRole; disabled?: boolean },
  ): Promise<OperatorView | 'last-owner' | null> {
    const row = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [OPERATOR_CHANGES_LOCK]);
      // An UPDATE answers [rows, count] through TypeORM's postgres driver.
      const [[changed]] = await manager.query<[OperatorView[], number]>(
        `WITH changed AS (
         SELECT id, coalesce($2::operator_role, role) AS role,
                CASE WHEN $3::boolean IS NULL THEN disabled_at WHEN $3 THEN coalesce(disabled_at, now()) END AS disabled_at
         FROM operators WHERE id = $1
       )
       UPDATE operators o SET role = c.role, disabled_at = c.disabled_at FROM changed c
       WHERE o.id = c.id AND NOT (
         o.role = 'owner' AND o.disabled_at IS NULL AND NOT (c.role = 'owner' AND c.disabled_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM operators x WHERE x.id <> c.id AND x.role = 'owner' AND x.disabled_at IS NULL))
       RETURNING o.id, o.email, o.role, o.created_at AS "createdAt", o.disabled_at AS "disabledAt"`,
        [id, change.role ?? null, change.disabled ?? null],
      );
      return changed;
    });
    if (row) return row;
    return (await this.byId(id)) ? 'last-owner' : null;
  }

  async insertToken(operatorId: string, name: string, hash: Buffer): Promise<OperatorTokenView> {
    const [row] = await this.dataSource.query<OperatorTokenView[]>(
      `INSERT INTO operator_tokens (operator_id, name, token_hash) VALUES ($1, $2, $3) RETURNING ${TOKEN}`,
      [operatorId, name, hash],
    );
    return row;
  }

  tokens(operatorId: string): Promise<OperatorTokenView[]> {
    return this.dataSource.query(
      `SELECT ${TOKEN} FROM operator_tokens WHERE operator_id = $1 ORDER BY created_at, id`,
      [operatorId],
    );
  }

  /** Revokes (idempotently); null when the operator has no such token. */
  async revokeToken(operatorId: string, tokenId: string): Promise<OperatorTokenView | null> {
    const [rows] = await this.dataSource.query<[OperatorTokenView[], number]>(
      `UPDATE operator_tokens SET revoked_at = coalesce(revoked_at, now())
       WHERE id = $1 AND operator_id = $2 RETURNING ${TOKEN}`,
      [tokenId, operatorId],
    );
    return rows[0] ?? null;
  }

  /** The operator behind a live token: not revoked, operator not disabled. */
  async principalByTokenHash(hash: Buffer): Promise<AdminPrincipal | null> {
    const [row] = await this.dataSource.query<AdminPrincipal[]>(
      `SELECT o.id AS "operatorId", o.email AS label, o.role FROM operator_tokens t JOIN operators o ON o.id = t.operator_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND o.disabled_at IS NULL`,
      [hash],
    );
    return row ?? null;
  }
}
