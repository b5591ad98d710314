import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MicroBatcher } from '../common/micro-batcher.js';
import { AppConfig } from '../config/app-config.js';
import { MailSender } from '../mail/mail-sender.js';
import { MailMetrics } from '../metrics/mail-metrics.js';
import { senderDomain } from '../mail/message-id.js';
import { unsubscribeHeaders, unsubscribeUrls } from '../subscribers/unsubscribe-links.js';
import { DigestCompletion } from './digest-completion.js';
import { DigestMessageCache } from './mailer/digest-message-cache.js';
import { classifySmtpFailure, type SmtpFailure } from './mailer/smtp-failure.js';

export type SendOutcome = 'sent' | 'skipped' | 'paused' | 'done-already' | 'retry' | 'failed' | 'bounced';

/** Thrown for a temporary failure that still has attempts left: BullMQ retries it with backoff. */
export class TemporarySendError extends Error {}

interface Claimed {
  id: string;
  digest_id: string;
  email: string;
  unsubscribe_token: string;
}

/**
 * Sends one delivery. Called by the queue processor, and testable without it. Before sending it
 * claims the row in one statement that also checks the digest is sending and not paused, and the
 * reader is still confirmed; afterwards it records the outcome. The queue never decides anything.
 */
@Injectable()
export class DigestSender {
  private readonly logger = new Logger(DigestSender.name);
  private readonly domain: string;
  /**
   * Concurrent sends claim and record in batches: one statement (and one run of the counting
   * trigger) for many deliveries instead of two per message.
   */
  private readonly claims = new MicroBatcher<string, Claimed | undefined>((ids) => this.claimBatch(ids));
  private readonly finishes = new MicroBatcher<{ id: string; messageId: string }, void>((sent) => this.finishBatch(sent));

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: DigestMessageCache,
    private readonly sender: MailSender,
    private readonly completion: DigestCompletion,
    private readonly metrics: MailMetrics,
    private readonly config: AppConfig,
  ) {
    this.domain = senderDomain(config.mail.from);
  }

  async send(deliveryId: string, finalAttempt: boolean): Promise<SendOutcome> {
    const claimed = await this.claims.add(deliveryId);
    if (!claimed) return this.notClaimed(deliveryId);

    const template = await this.cache.get(claimed.digest_id);
    const links = unsubscribeUrls(this.config, claimed.unsubscribe_token);
    // Deterministic: if a crash makes us send a copy twice, both carry the same Message-ID,
    // which lets mailbox providers fold the duplicate away.
    const messageId = `${deliveryId}.${claimed.digest_id.slice(0, 8)}.digest@${this.domain}`;
    const raw = template.render({ to: claimed.email, messageId, values: [links.page], headers: { 'List-Unsubscribe': unsubscribeHeaders(this.config, links)['List-Unsubscribe'] } });
    const stopTimer = this.metrics.sendDuration.startTimer({ kind: 'digest' });
    try {
      await this.sender.sendRaw(claimed.email, raw);
    } catch (error) {
      stopTimer();
      const failure = classifySmtpFailure(error);
      this.metrics.failed.inc({ kind: 'digest', reason: failure.kind });
      return this.failed(deliveryId, failure, finalAttempt);
    }
    stopTimer();
    this.metrics.sent.inc({ kind: 'digest' });
    await this.finishes.add({ id: deliveryId, messageId });
    this.completion.touched(claimed.digest_id);
    return 'sent';
  }

  /** Claims the deliveries whose digest is sending and unpaused and whose reader is still confirmed. */
  private async claimBatch(ids: string[]): Promise<Array<Claimed | undefined>> {
    const [rows]: [Claimed[], number] = await this.dataSource.query(
      `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, started_at = coalesce(d.started_at, now())
       FROM digests g, subscribers s
       WHERE d.id = ANY($1::bigint[]) AND g.id = d.digest_id AND s.id = d.subscriber_id
         AND d.status IN ('queued', 'sending') AND g.status = 'sending' AND g.paused_at IS NULL AND s.status = 'confirmed'
       RETURNING d.id, d.digest_id, s.email, s.unsubscribe_token`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    return ids.map((id) => byId.get(id));
  }

  private async finishBatch(sent: Array<{ id: string; messageId: string }>): Promise<void[]> {
    await this.dataSource.query(
      `UPDATE deliveries d SET status = 'sent', message_id = v.message_id, finished_at = now(), last_error = NULL, last_error_code = NULL
       FROM unnest($1::bigint[], $2::text[]) AS v(id, message_id)
       WHERE d.id = v.id AND d.status = 'sending'`,
      [sent.map((s) => s.id), sent.map((s) => s.messageId)],
    );
    return sent.map(() => undefined);
  }

  /** Why a delivery could not be claimed, and what that means for it. */
  private async notClaimed(deliveryId: string): Promise<SendOutcome> {
    const [row] = await this.dataSource.query<
      { status: string; digest_id: string; digest_status: string; paused_at: Date | null; reader_status: string | null }[]
    >(
      `SELECT d.status, d.digest_id, g.status AS digest_status, g.paused_at, s.status AS reader_status
       FROM deliveries d JOIN digests g ON g.id = d.digest_id LEFT JOIN subscribers s ON s.id = d.subscriber_id WHERE d.id = $1`,
      [deliveryId],
    );
    if (!row || !['queued', 'sending'].includes(row.status)) return 'done-already';
    if (row.digest_status === 'sending' && row.paused_at) return 'paused';
    const reason =
      row.digest_status !== 'sending' ? `digest is ${row.digest_status}` : row.reader_status ? `reader is ${row.reader_status}` : 'reader was erased';
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'sending')`,
      [deliveryId, reason],
    );
    this.completion.touched(row.digest_id);
    return 'skipped';
  }

  private async failed(deliveryId: string, failure: SmtpFailure, finalAttempt: boolean): Promise<SendOutcome> {
    if (failure.kind === 'temporary' && !finalAttempt) {
      await this.dataSource.query(`UPDATE deliveries SET last_error = $2, last_error_code = $3 WHERE id = $1`, [deliveryId, failure.reason, failure.code]);
      throw new TemporarySendError(failure.reason);
    }
    const status = failure.kind === 'bounce' ? 'bounced' : 'failed';
    const [[row]] = await this.dataSource.query<[{ digest_id: string; subscriber_id: string | null }[], number]>(
      `UPDATE deliveries SET status = $2, last_error = $3, last_error_code = $4, finished_at = now()
       WHERE id = $1 AND status = 'sending' RETURNING digest_id, subscriber_id`,
      [deliveryId, status, failure.reason, failure.code],
    );
    if (failure.kind === 'bounce' && row?.subscriber_id) {
      // A hard bounce: later digests leave this reader out.
      await this.dataSource.query(`UPDATE subscribers SET status = 'bounced', bounced_at = now(), updated_at = now() WHERE id = $1 AND status = 'confirmed'`, [row.subscriber_id]);
    }
    if (row) this.completion.touched(row.digest_id);
    this.logger.warn(`delivery ${deliveryId} ${status}: ${failure.reason}`);
    return status;
  }
}
