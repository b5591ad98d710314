import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { KeysetCursor } from '../../common/keyset-cursor.js';
import { SubscriberViewsRepository } from '../../subscribers/subscriber-views.repository.js';
import type { SubscriberStatus } from '../../subscribers/subscriber-status.js';

export const EXPORT_COLUMNS = ['email', 'name', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at'] as const;

const BATCH = 1_000;

/** A spreadsheet runs a cell starting with one of these as a formula; a leading ' stops that. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function defused(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * All subscribers (or those of one status) as CSV, streamed: read in keyset batches so memory stays
 * flat and no transaction is held open for the whole download.
 */
@Injectable()
export class SubscriberCsvExportService {
  constructor(private readonly subscribers: SubscriberViewsRepository) {}

  /** Resolves when the last byte is written; rejects (the download is cut short) if a read fails. */
  async writeTo(output: Writable, status?: SubscriberStatus): Promise<void> {
    const csv = stringify({
      header: true,
      columns: [...EXPORT_COLUMNS],
      cast: { date: (value) => value.toISOString() },
    });
    await pipeline(this.rows(status), csv, output);
  }

  private async *rows(status?: SubscriberStatus): AsyncGenerator<Record<(typeof EXPORT_COLUMNS)[number], unknown>> {
    let after: KeysetCursor | null = null;
    for (;;) {
      const batch = await this.subscribers.exportBatch(status, after, BATCH);
      for (const row of batch) {
        yield {
          // The address too: `=cmd|...@example.com` is a valid local part.
          email: defused(row.email),
          name: row.name && defused(row.name),
          status: row.status,
          created_at: row.createdAt,
          confirmed_at: row.confirmedAt,
          unsubscribed_at: row.unsubscribedAt,
        };
      }
      if (batch.length < BATCH) return;
      const last = batch[batch.length - 1];
      after = { at: last.cursorAt, id: last.id };
    }
  }
}
