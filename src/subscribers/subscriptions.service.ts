import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { QueueName, TransactionalMailJob } from '../common/queue.constants.js';
import { hashSecretToken, newSecretToken } from '../common/secret-token.js';
import { AppConfig } from '../config/app-config.js';
import { CONSENT_TEXTS, CURRENT_FORM_VERSION } from './consent.constants.js';
import { ConsentEvent, ConsentEventKind } from './consent-event.entity.js';
import type { ConfirmationMailJobData } from './confirmation-mail.job.js';
import type { RequestContext } from '../common/request-context.js';

export interface SubscribeRequest extends RequestContext {
  email: string;
  name: string | null;
  formVersion?: string;
  source?: string;
}

/**
 * Double opt-in. Whatever state the address is in, `subscribe` returns nothing the caller could
 * tell apart, so the form never reveals who is subscribed.
 */
@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.TransactionalMail) private readonly mailQueue: Queue<ConfirmationMailJobData>,
  ) {}

  async subscribe(request: SubscribeRequest): Promise<void> {
    const formVersion = request.formVersion ?? CURRENT_FORM_VERSION;
    const token = newSecretToken();
    const { subscriptions } = this.config;
    // One statement, so one round trip and atomic: upsert the subscriber (a confirmed one is left as
    // it is and matches nothing below; a subscriber who left or bounced opts in again from the
    // start), record the consent, and issue a token unless today's cap is reached. The upsert
    // locks the row, so concurrent requests for one address run one after the other.
    const [row]: Array<{ subscriber_id: string; token_id: string | null }> = await this.dataSource.query(
      `WITH upsert AS (
         INSERT INTO subscribers AS s (email, name, unsubscribe_token) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET status = 'pending', name = coalesce(EXCLUDED.name, s.name), updated_at = now()
         WHERE s.status <> 'confirmed'
         RETURNING s.id),
       consent AS (
         INSERT INTO consent_events (subscriber_id, kind, source, ip, user_agent, form_version, consent_text)
         SELECT id, 'subscribe', $4, $5, $6, $7, $8 FROM upsert),
       token AS (
         INSERT INTO confirmation_tokens (subscriber_id, token_hash, expires_at)
         SELECT u.id, $9, now() + make_interval(hours => $10) FROM upsert u
         WHERE (SELECT count(*) FROM confirmation_tokens t WHERE t.subscriber_id = u.id AND t.created_at > now() - interval '1 day') < $11
         RETURNING id)
       SELECT u.id AS subscriber_id, t.id AS token_id FROM upsert u LEFT JOIN token t ON true`,
      [
        request.email,
        request.name,
        newSecretToken(),
        request.source ?? 'form',
        request.ip,
        request.userAgent?.slice(0, 500) ?? null,
        formVersion,
        this.consentText(formVersion),
        hashSecretToken(token),
        subscriptions.confirmTokenTtlHours,
        subscriptions.confirmationMailsPerDay,
      ],
    );
    if (!row) return;
    if (!row.token_id) {
      this.logger.warn(`confirmation mail cap reached for subscriber ${row.subscriber_id}`);
      return;
    }
    const mail = { subscriberId: row.subscriber_id, tokenId: row.token_id, token };
    await this.mailQueue.add(TransactionalMailJob.Confirmation, mail, { jobId: `confirmation-${mail.tokenId}` });
  }

  /**
   * The same double opt-in for many new pending subscribers at once (CSV import): a subscribe event
   * and a confirmation token each, set-based inside the caller's transaction. Returns the mails,
   * to hand to `enqueueConfirmations` once that transaction has committed.
   */
  async startConfirmations(manager: EntityManager, subscriberIds: string[], source: string): Promise<ConfirmationMailJobData[]> {
    if (!subscriberIds.length) return [];
    const tokens = subscriberIds.map(() => newSecretToken());
    await manager.query(`INSERT INTO consent_events (subscriber_id, kind, source) SELECT id, 'subscribe', $2 FROM unnest($1::uuid[]) AS t(id)`, [subscriberIds, source]);
    const rows: { id: string; subscriber_id: string }[] = await manager.query(
      `INSERT INTO confirmation_tokens (subscriber_id, token_hash, expires_at)
       SELECT t.id, decode(t.hash, 'hex'), now() + make_interval(hours => $3) FROM unnest($1::uuid[], $2::text[]) AS t(id, hash)
       RETURNING id, subscriber_id`,
      [subscriberIds, tokens.map((token) => hashSecretToken(token).toString('hex')), this.config.subscriptions.confirmTokenTtlHours],
    );
    const tokenOf = new Map(subscriberIds.map((id, i) => [id, tokens[i]]));
    return rows.map((row) => ({ subscriberId: row.subscriber_id, tokenId: row.id, token: tokenOf.get(row.subscriber_id)! }));
  }

  async enqueueConfirmations(mails: ConfirmationMailJobData[]): Promise<void> {
    for (let i = 0; i < mails.length; i += 1_000) {
      const jobs = mails.slice(i, i + 1_000).map((data) => ({ name: TransactionalMailJob.Confirmation, data, opts: { jobId: `confirmation-${data.tokenId}` } }));
      await this.mailQueue.addBulk(jobs);
    }
  }

  async recordConsent(
    manager: EntityManager,
    subscriberId: string,
    kind: ConsentEventKind,
    source: string,
    context: RequestContext,
    formVersion: string | null = null,
  ): Promise<void> {
    const consentText = formVersion ? this.consentText(formVersion) : null;
    await manager.insert(ConsentEvent, {
      subscriberId,
      kind,
      source,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 500) ?? null,
      formVersion,
      consentText,
    });
  }

  /** The words the subscriber agreed to, as the given form version showed them. */
  private consentText(formVersion: string): string | null {
    return CONSENT_TEXTS[formVersion]?.(this.config.company.shortName) ?? null;
  }
}
