import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { QueueName, TransactionalMailJob } from '../common/queue.constants.js';
import { hashSecretToken, newSecretToken } from '../common/secret-token.js';
import { AppConfig } from '../config/app-config.js';
import { CONSENT_TEXTS, CURRENT_FORM_VERSION } from './consent.constants.js';
import { ConfirmationToken } from './confirmation-token.entity.js';
import { ConsentEvent, ConsentEventKind } from './consent-event.entity.js';
import type { ConfirmationMailJobData } from './confirmation-mail.job.js';
import type { RequestContext } from './request-context.js';
import { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';

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
    const mail = await this.dataSource.transaction(async (manager) => {
      // Insert-or-lock: two requests for the same new address end up on the same row.
      await manager.query(
        `INSERT INTO subscribers (email, name, unsubscribe_token) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING`,
        [request.email, request.name, newSecretToken()],
      );
      const subscriber = await manager
        .getRepository(Subscriber)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.email = :email', { email: request.email })
        .getOneOrFail();
      if (subscriber.status === SubscriberStatus.Confirmed) return null;

      if (subscriber.status !== SubscriberStatus.Pending || (request.name && request.name !== subscriber.name)) {
        // A reader who left, or bounced, opts in again from the start.
        await manager.update(Subscriber, subscriber.id, { status: SubscriberStatus.Pending, name: request.name ?? subscriber.name });
      }
      await this.recordConsent(manager, subscriber.id, ConsentEventKind.Subscribe, request.source ?? 'form', request, formVersion);
      return this.issueConfirmationToken(manager, subscriber);
    });
    if (mail) {
      await this.mailQueue.add(TransactionalMailJob.Confirmation, mail, { jobId: `confirmation-${mail.tokenId}` });
    }
  }

  /**
   * The same double opt-in for many new pending readers at once (CSV import): a subscribe event
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

  /** A new confirmation token, unless the address already had its share of mails today. */
  private async issueConfirmationToken(manager: EntityManager, subscriber: Subscriber): Promise<ConfirmationMailJobData | null> {
    const [{ count }] = await manager.query(
      `SELECT count(*)::int AS count FROM confirmation_tokens WHERE subscriber_id = $1 AND created_at > now() - interval '1 day'`,
      [subscriber.id],
    );
    if (count >= this.config.subscriptions.confirmationMailsPerDay) {
      this.logger.warn(`confirmation mail cap reached for subscriber ${subscriber.id}`);
      return null;
    }
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + this.config.subscriptions.confirmTokenTtlHours * 3600_000);
    const row = await manager.save(manager.create(ConfirmationToken, { subscriberId: subscriber.id, tokenHash: hashSecretToken(token), expiresAt }));
    return { subscriberId: subscriber.id, tokenId: row.id, token };
  }

  async recordConsent(
    manager: EntityManager,
    subscriberId: string,
    kind: ConsentEventKind,
    source: string,
    context: RequestContext,
    formVersion: string | null = null,
  ): Promise<void> {
    const consentText = formVersion ? CONSENT_TEXTS[formVersion]?.(this.config.company.shortName) ?? null : null;
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
}
