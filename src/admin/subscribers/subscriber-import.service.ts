import { Injectable, Logger } from '@nestjs/common';
import { ConsentEventKind } from '../../subscribers/consent-event.entity.js';
import { ConsentEventsRepository } from '../../subscribers/consent-events.repository.js';
import { SubscribersRepository } from '../../subscribers/subscribers.repository.js';
import { SubscriberStatus } from '../../subscribers/subscriber-status.js';
import { SubscriptionsService } from '../../subscribers/subscriptions.service.js';
import { SuppressionsRepository } from '../../subscribers/suppressions.repository.js';
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
    private readonly subscribers: SubscribersRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly suppressions: SuppressionsRepository,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async import(file: Buffer, options: ImportOptions): Promise<ImportResultDto> {
    const parsed = parseSubscriberCsv(file);
    const emails = parsed.rows.map((row) => row.email);
    const confirmed = options.consentNote !== undefined;
    const { imported, suppressed, mails } = await this.subscribers.transaction(async (manager) => {
      const refusedSet = await this.suppressions.suppressedAmong(manager, emails);
      const rows = parsed.rows.filter((row) => !refusedSet.has(row.email));
      const ids = await this.subscribers.insertMany(
        manager,
        rows,
        confirmed ? SubscriberStatus.Confirmed : SubscriberStatus.Pending,
      );
      if (confirmed)
        await this.consent.insertMany(manager, ids, ConsentEventKind.Confirm, 'import', options.consentNote);
      const mails = confirmed ? [] : await this.subscriptions.startConfirmations(manager, ids, 'import');
      return { imported: ids.length, suppressed: refusedSet.size, mails };
    });
    // After the commit: a worker must find the rows the jobs point at.
    await this.subscriptions.enqueueConfirmations(mails);
    this.logger.log(
      `import: ${imported} new (${confirmed ? 'confirmed with a consent note' : 'pending, opt-in mail queued'}), ${suppressed} suppressed, ${parsed.invalidCount} invalid`,
    );
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
