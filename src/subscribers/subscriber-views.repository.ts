import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type KeysetCursor, keysetTime } from '../common/keyset-cursor.js';
import type { SubscriberStatus } from './subscriber-status.js';

/** Every column an operator may see; never `link_nonce`, from which personal links are made. */
export interface SubscriberView {
  id: string;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  bouncedAt: Date | null;
}

const VIEW_COLUMNS = `id, email, name, status, created_at AS "createdAt", updated_at AS "updatedAt",
  confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt", bounced_at AS "bouncedAt"`;

export interface SubscriberFilter {
  status?: SubscriberStatus;
  /** A substring of the address. */
  q?: string;
}

/**
 * What an operator sees of the `subscribers` table: one subscriber, a filtered page, an export
 * batch. Reads only; SubscribersRepository stays the one writer.
 */
@Injectable()
export class SubscriberViewsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async view(
    id: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<SubscriberView | undefined> {
    const [row]: SubscriberView[] = await manager.query(
      `SELECT ${VIEW_COLUMNS} FROM subscribers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /** Newest first, keyset-paged on (created_at, id); `limit + 1` rows tell whether a next page exists. */
  async page(
    filter: SubscriberFilter,
    limit: number,
    after: KeysetCursor | null,
  ): Promise<Array<SubscriberView & { cursorAt: string }>> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filter.status) where.push(`status = ${param(filter.status)}::subscriber_status`);
    // Addresses are stored lower-case, so a lower-cased pattern is the case-insensitive match.
    if (filter.q?.trim())
      where.push(`email LIKE ${param(`%${escapeLike(filter.q.trim().toLowerCase())}%`)} ESCAPE '\\'`);
    if (after) where.push(`(created_at, id) < (${param(after.at)}::timestamptz, ${param(after.id)}::uuid)`);
    return this.dataSource.query(
      `SELECT ${VIEW_COLUMNS}, ${keysetTime('created_at')} AS "cursorAt" FROM subscribers
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${param(limit)}`,
      params,
    );
  }

  /** Oldest first, for the CSV export: a batch at a time, so no transaction stays open for the download. */
  exportBatch(
    status: SubscriberStatus | undefined,
    after: KeysetCursor | null,
    size: number,
  ): Promise<Array<SubscriberView & { cursorAt: string }>> {
    const params: unknown[] = [status ?? null, size];
    const keyset = after
      ? `AND (created_at, id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`
      : '';
    return this.dataSource.query(
      `SELECT ${VIEW_COLUMNS}, ${keysetTime('created_at')} AS "cursorAt"
       FROM subscribers WHERE ($1::subscriber_status IS NULL OR status = $1) ${keyset}
       ORDER BY created_at, id LIMIT $2`,
      params,
    );
  }
}

/** `%`, `_` and the escape character itself match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
