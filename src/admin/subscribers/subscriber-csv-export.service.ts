import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import type { SubscriberStatus } from '../../subscribers/subscriber-status.js';

export const EXPORT_COLUMNS = ['email', 'name', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at'] as const;

const BATCH = 1_000;

interface ExportRow {
  email: string;
  name: string | null;
  status: string;
  created_at: Date;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
  cursor_at: string;
  id: string;
}

/** A spreadsheet runs a cell starting with one of these as a formula; a leading ' stops that. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * All subscribers (or those of one status) as CSV, streamed: read in keyset batches so memory stays
 * flat and no transaction is held open for the whole download.
 */
@Injectable()
export class SubscriberCsvExportService {
  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when the last byte is written; rejects (the download is cut short) if a read fails. */
  async writeTo(output: Writable, status?: SubscriberStatus): Promise<void> {
    const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], cast: { date: (value) => value.toISOString() } });
    await pipeline(this.rows(status), csv, output);
  }

  private async *rows(status?: SubscriberStatus): AsyncGenerator<Record<(typeof EXPORT_COLUMNS)[number], unknown>> {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const params: unknown[] = [status ?? null, BATCH];
      const keyset = after ? `AND (created_at, id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)` : '';
      const batch: ExportRow[] = await this.dataSource.query(
        `SELECT id, email, name, status, created_at, confirmed_at, unsubscribed_at,
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM subscribers WHERE ($1::subscriber_status IS NULL OR status = $1) ${keyset}
         ORDER BY created_at, id LIMIT $2`,
        params,
      );
      for (const row of batch) {
        yield {
          email: row.email,
          name: row.name && FORMULA_START.test(row.name) ? `'${row.name}` : row.name,
          status: row.status,
          created_at: row.created_at,
          confirmed_at: row.confirmed_at,
          unsubscribed_at: row.unsubscribed_at,
        };
      }
      if (batch.length < BATCH) return;
      const last = batch[batch.length - 1];
      after = { at: last.cursor_at, id: last.id };
    }
  }
}
