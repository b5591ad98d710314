import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SubscriberStatus } from '../../subscribers/subscriber-status.js';
import type { ConfirmationTokenDto, ConsentEventDto, ReaderDataExportDto, ReaderDetailDto, ReaderDto, ReaderPageDto } from './dto/reader.dto.js';
import { READER_PAGE } from './dto/list-readers-query.dto.js';
import { decodeReaderCursor, encodeReaderCursor } from './reader-cursor.js';
import { ReaderHistoryService } from './reader-history.service.js';

/** Every column an operator may see; never `unsubscribe_token`, which is a secret link. */
export const READER_COLUMNS = `id, email, name, status, created_at AS "createdAt", updated_at AS "updatedAt",
  confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt", bounced_at AS "bouncedAt"`;

/** The keyset position of a row, in UTC to the microsecond (see ReaderCursor). */
const CURSOR_TIME = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ReaderFilter {
  status?: SubscriberStatus;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Reads readers for the admin API: pages, one reader with its history, a data-access export. */
@Injectable()
export class ReaderDirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: ReaderHistoryService,
  ) {}

  async list(filter: ReaderFilter): Promise<ReaderPageDto> {
    const limit = filter.limit ?? READER_PAGE.defaultLimit;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filter.status) where.push(`status = ${param(filter.status)}::subscriber_status`);
    // Addresses are stored lower-case, so a lower-cased pattern is the case-insensitive match.
    if (filter.q?.trim()) where.push(`email LIKE ${param(`%${escapeLike(filter.q.trim().toLowerCase())}%`)} ESCAPE '\\'`);
    if (filter.cursor) {
      const cursor = decodeReaderCursor(filter.cursor);
      where.push(`(created_at, id) < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const rows: (ReaderDto & { cursorAt: string })[] = await this.dataSource.query(
      `SELECT ${READER_COLUMNS}, ${CURSOR_TIME} AS "cursorAt" FROM subscribers
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ cursorAt, ...reader }) => reader),
      nextCursor: rows.length > limit && last ? encodeReaderCursor({ createdAt: last.cursorAt, id: last.id }) : null,
    };
  }

  async detail(id: string): Promise<ReaderDetailDto> {
    const reader = await this.findOrFail(this.dataSource.manager, id);
    return { ...reader, consentEvents: await this.consentEvents(id), deliveries: await this.history.deliveriesOf(id) };
  }

  async dataExport(id: string): Promise<ReaderDataExportDto> {
    // One snapshot: a reader changed half-way must not come out half old, half new.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const subscriber = await this.findOrFail(manager, id);
      const confirmationTokens: ConfirmationTokenDto[] = await manager.query(
        `SELECT id, created_at AS "createdAt", expires_at AS "expiresAt", mailed_at AS "mailedAt", used_at AS "usedAt"
         FROM confirmation_tokens WHERE subscriber_id = $1 ORDER BY created_at, id`,
        [id],
      );
      return {
        exportedAt: new Date(),
        subscriber,
        consentEvents: await this.consentEvents(id, manager),
        confirmationTokens,
        deliveries: await this.history.deliveriesOf(id),
      };
    });
  }

  async findOrFail(manager: EntityManager, id: string, lock = false): Promise<ReaderDto> {
    const [reader]: ReaderDto[] = await manager.query(`SELECT ${READER_COLUMNS} FROM subscribers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!reader) throw new NotFoundException(`no reader has the id ${id}`);
    return reader;
  }

  private consentEvents(id: string, manager: EntityManager = this.dataSource.manager): Promise<ConsentEventDto[]> {
    return manager.query(
      `SELECT id, kind, source, occurred_at AS "occurredAt", ip, user_agent AS "userAgent", form_version AS "formVersion", consent_text AS "consentText"
       FROM consent_events WHERE subscriber_id = $1 ORDER BY occurred_at, id`,
      [id],
    );
  }
}

/** `%`, `_` and the escape character itself match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
