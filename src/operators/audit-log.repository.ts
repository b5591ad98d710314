import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AdminAuditEntry, AuditOutcome } from '../common/admin-role.js';
import { decodeKeysetCursor, encodeKeysetCursor, keysetTime } from '../common/keyset-cursor.js';

export interface AuditRecord {
  id: string;
  at: Date;
  operatorId: string | null;
  operator: string;
  ip: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status: number;
}

export interface AuditFilter {
  operatorId?: string;
  action?: string;
  since?: string;
  cursor?: string;
  limit: number;
}

/** The one owner of `audit_log`, which only ever grows (a trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(entry: AdminAuditEntry): Promise<void> {
    const { principal } = entry;
    await this.dataSource.query(
      `INSERT INTO audit_log (operator_id, operator_label, ip, action, target, outcome, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [principal.operatorId, principal.label, entry.ip, entry.action, entry.target, entry.outcome, entry.status],
    );
  }

  /** Newest first, keyset-paged on (at, id). */
  async page(filter: AuditFilter): Promise<{ items: AuditRecord[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.operatorId) where.push(`operator_id = ${param(filter.operatorId)}::uuid`);
    if (filter.action) where.push(`action = ${param(filter.action)}`);
    if (filter.since) where.push(`at >= ${param(filter.since)}::timestamptz`);
    if (filter.cursor) {
      const cursor = decodeKeysetCursor(filter.cursor);
      where.push(`(at, id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const rows: (AuditRecord & { cursorAt: string })[] = await this.dataSource.query(
      `SELECT id, at, operator_id AS "operatorId", operator_label AS operator, ip, action, target, outcome, status,
              ${keysetTime('at')} AS "cursorAt"
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return {
      items: items.map(({ cursorAt: _, ...record }) => record),
      nextCursor: rows.length > filter.limit && last ? encodeKeysetCursor({ at: last.cursorAt, id: last.id }) : null,
    };
  }
}
