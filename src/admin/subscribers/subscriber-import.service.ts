import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newSecretToken } from '../../common/secret-token.js';
import { SubscriberStatus } from '../../subscribers/subscriber-status.js';
import { SubscriptionsService } from '../../subscribers/subscriptions.service.js';
import { addressHash } from '../../subscribers/suppressions.js';
import type { ImportResultDto } from './dto/import-subscribers.dto.js';
import { parseSubscriberCsv } from './subscriber-csv-parser.js';

export interface ImportOptions {
  /** The operator holds proof of consent: confirm at once instead of sending the opt-in mail. */
  consentNote?: string;
}

/**
 * CSV import, all or nothing: the whole file is read and checked first, then written with a
 * handful of set-based statements in one transaction. Existing subscribers are never changed, and
 * an erased address (suppressed) is refused.
 */
@Injectable()
export class SubscriberImportService {
  private readonly logger = new Logger(SubscriberImportService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async import(file: Buffer, options: ImportOptions): Promise<ImportResultDto> {
    const parsed = parseSubscriberCsv(file);
    const emails = parsed.rows.map((row) => row.email);
    const confirmed = options.consentNote !== undefined;
    const { imported, suppressed, mails } = await this.dataSource.transaction(async (manager) => {
      // Suppressed unless the subscriber is back already (their own opt-in since the erasure).
      const refused: { email: string }[] = await manager.query(
        `SELECT i.email FROM unnest($1::text[], $2::text[]) AS i(email, hash)
         WHERE EXISTS (SELECT 1 FROM suppressions s WHERE s.email_hash = decode(i.hash, 'hex'))
           AND NOT EXISTS (SELECT 1 FROM subscribers x WHERE x.email = i.email)`,
        [emails, emails.map((email) => addressHash(email).toString('hex'))],
      );
      const refusedSet = new Set(refused.map((row) => row.email));
      const rows = parsed.rows.filter((row) => !refusedSet.has(row.email));
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO subscribers (email, name, unsubscribe_token, status, confirmed_at)
         SELECT i.email, i.name, i.token, $4::subscriber_status, CASE WHEN $4 = 'confirmed' THEN now() END
         FROM unnest($1::text[], $2::text[], $3::text[]) AS i(email, name, token)
         ON CONFLICT (email) DO NOTHING
         RETURNING id`,
        [rows.map((row) => row.email), rows.map((row) => row.name), rows.map(() => newSecretToken()), confirmed ? SubscriberStatus.Confirmed : SubscriberStatus.Pending],
      );
      const ids = inserted.map((row) => row.id);
      if (confirmed) {
        await manager.query(`INSERT INTO consent_events (subscriber_id, kind, source, consent_text) SELECT id, 'confirm', 'import', $2 FROM unnest($1::uuid[]) AS t(id)`, [
          ids,
          options.consentNote,
        ]);
      }
      const mails = confirmed ? [] : await this.subscriptions.startConfirmations(manager, ids, 'import');
      return { imported: ids.length, suppressed: refusedSet.size, mails };
    });
    // After the commit: a worker must find the rows the jobs point at.
    await this.subscriptions.enqueueConfirmations(mails);
    this.logger.log(`import: ${imported} new (${confirmed ? 'confirmed with a consent note' : 'pending, opt-in mail queued'}), ${suppressed} suppressed, ${parsed.invalidCount} invalid`);
    return {
      imported,
      alreadyPresent: parsed.rows.length - suppressed - imported,
      suppressed,
      duplicates: parsed.duplicates,
      invalid: parsed.invalidCount,
      invalidRows: parsed.invalid,
      status: confirmed ? 'confirmed' : 'pending',
    };
  }
}
