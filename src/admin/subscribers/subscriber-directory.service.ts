import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SubscriberStatus } from '../../subscribers/subscriber-status.js';
import type { ConfirmationTokenDto, ConsentEventDto, SubscriberDataExportDto, SubscriberDetailDto, SubscriberDto, SubscriberPageDto } from './dto/subscriber.dto.js';
import { SUBSCRIBER_PAGE } from './dto/list-subscribers-query.dto.js';
import { decodeSubscriberCursor, encodeSubscriberCursor } from './subscriber-cursor.js';
import { SubscriberHistoryService } from './subscriber-history.service.js';

/** Every column an operator may see; never `unsubscribe_token`, which is a secret link. */
export const SUBSCRIBER_COLUMNS = `id, email, name, status, created_at AS "createdAt", updated_at AS "updatedAt",
  confirmed_at AS "confirmedAt", unsubscribed_at AS "unsubscribedAt", bounced_at AS "bouncedAt"`;

/** The keyset position of a row, in UTC to the microsecond (see SubscriberCursor). */
const CURSOR_TIME = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface SubscriberFilter {
  status?: SubscriberStatus;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Reads subscribers for the admin API: pages, one subscriber with its history, a data-access export. */
@Injectable()
export class SubscriberDirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: SubscriberHistoryService,
  ) {}

  async list(filter: SubscriberFilter): Promise<SubscriberPageDto> {
    const limit = filter.limit ?? SUBSCRIBER_PAGE.defaultLimit;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (filter.status) where.push(`status = ${param(filter.status)}::subscriber_status`);
    // Addresses are stored lower-case, so a lower-cased pattern is the case-insensitive match.
    if (filter.q?.trim()) where.push(`email LIKE ${param(`%${escapeLike(filter.q.trim().toLowerCase())}%`)} ESCAPE '\\'`);
    if (filter.cursor) {
      const cursor = decodeSubscriberCursor(filter.cursor);
      where.push(`(created_at, id) < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const rows: (SubscriberDto & { cursorAt: string })[] = await this.dataSource.query(
      `SELECT ${SUBSCRIBER_COLUMNS}, ${CURSOR_TIME} AS "cursorAt" FROM subscribers
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ cursorAt, ...subscriber }) => subscriber),
      nextCursor: rows.length > limit && last ? encodeSubscriberCursor({ createdAt: last.cursorAt, id: last.id }) : null,
    };
  }

  async detail(id: string): Promise<SubscriberDetailDto> {
    const subscriber = await this.findOrFail(this.dataSource.manager, id);
    return { ...subscriber, consentEvents: await this.consentEvents(id), deliveries: await this.history.deliveriesOf(id) };
  }

  async dataExport(id: string): Promise<SubscriberDataExportDto> {
    // One snapshot: a subscriber changed half-way must not come out half old, half new.
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

  async findOrFail(manager: EntityManager, id: string, lock = false): Promise<SubscriberDto> {
    const [subscriber]: SubscriberDto[] = await manager.query(`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!subscriber) throw new NotFoundException(`no subscriber has the id ${id}`);
    return subscriber;
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
