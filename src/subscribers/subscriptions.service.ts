import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { QueueName, TransactionalMailJob, transactionalMailJobId } from '../common/queue.constants.js';
import { randomUUID } from 'node:crypto';
import { hashSecretToken } from '../common/secret-token.js';
import { AppConfig } from '../config/app-config.js';
import { CONSENT_TEXTS, CURRENT_FORM_VERSION } from './consent.constants.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { ConfirmationMailQuota } from './confirmation-mail-quota.js';
import { mailboxKey } from './mailbox-key.js';
import { AddressHasher } from './address-hasher.js';
import { LinkTokens } from './link-tokens.js';
import type { ConfirmationMailJobData } from './transactional-mail.job.js';
import type { RequestContext } from '../common/request-context.js';

export interface SubscribeRequest extends RequestContext {
  email: string;
  name: string | null;
  formVersion?: string;
  source?: string;
}

/** What asking for a new confirmation link came to. */
export type ResendOutcome = 'queued' | 'not-pending' | 'daily-cap' | 'hourly-cap';

/**
 * Double opt-in. Whatever state the address is in, `subscribe` returns nothing the caller could
 * tell apart, so the form never reveals who is subscribed.
 */
@Injectable()
export class SubscriptionsService {
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly config: AppConfig,
    private readonly quota: ConfirmationMailQuota,
    private readonly hasher: AddressHasher,
    private readonly links: LinkTokens,
    @InjectQueue(QueueName.TransactionalMail) private readonly mailQueue: Queue,
  ) {}

  async subscribe(request: SubscribeRequest): Promise<void> {
    const formVersion = request.formVersion ?? CURRENT_FORM_VERSION;
    const tokenId = randomUUID();
    const { subscriptions } = this.config;
    const row = await this.subscribers.subscribe({
      email: request.email,
      name: request.name,
      source: request.source ?? 'form',
      ip: request.ip,
      userAgent: request.userAgent?.slice(0, 500) ?? null,
      formVersion,
      consentText: this.consentText(formVersion),
      tokenId,
      tokenHash: hashSecretToken(this.links.confirmationToken(tokenId)),
      tokenTtlHours: subscriptions.confirmTokenTtlHours,
      mailsPerDay: subscriptions.confirmationMailsPerDay,
      mailboxHash: this.hasher.keyed(mailboxKey(request.email)),
    });
    if (!row) return;
    if (!row.tokenId) {
      this.logger.warn(`confirmation mail cap reached for subscriber ${row.subscriberId}`);
      return;
    }
    // The token is not in the job: the worker derives it again from the id (LinkTokens).
    await this.mailConfirmation(request.email, { subscriberId: row.subscriberId, tokenId: row.tokenId });
  }

  /**
   * A fresh link for a pending subscriber whose link expired, asked for from that link's page,
   * under the same daily and hourly caps as a subscribe. Unlike the form, the page may say which
   * cap stopped it: only the holder of a link to this address can ask.
   */
  async resendConfirmation(subscriberId: string, email: string): Promise<ResendOutcome> {
    const newTokenId = randomUUID();
    const { subscriptions } = this.config;
    const { pending, tokenId } = await this.tokens.issue({
      subscriberId,
      tokenId: newTokenId,
      tokenHash: hashSecretToken(this.links.confirmationToken(newTokenId)),
      ttlHours: subscriptions.confirmTokenTtlHours,
      mailsPerDay: subscriptions.confirmationMailsPerDay,
      mailboxHash: this.hasher.keyed(mailboxKey(email)),
    });
    if (!pending) return 'not-pending';
    if (!tokenId) return 'daily-cap';
    return (await this.mailConfirmation(email, { subscriberId, tokenId })) ? 'queued' : 'hourly-cap';
  }

  /** Queues the mail unless an hourly cap holds it back; the token then stays unmailed. */
  private async mailConfirmation(email: string, mail: ConfirmationMailJobData): Promise<boolean> {
    if (await this.quota.take(email)) return false;
    await this.queueMail(TransactionalMailJob.Confirmation, mail);
    return true;
  }

  /** Queues one transactional mail under its deterministic id (one mail per token and kind). */
  async queueMail(job: TransactionalMailJob, data: { tokenId: string }, options: JobsOptions = {}): Promise<void> {
    await this.mailQueue.add(job, data, { jobId: transactionalMailJobId(job, data.tokenId), ...options });
  }

  /**
   * The same double opt-in for many new pending subscribers at once (CSV import): a subscribe
   * event and a confirmation token each, set-based inside the caller's transaction. Returns the
   * mails, to hand to `enqueueConfirmations` once that transaction has committed.
   */
  async startConfirmations(
    manager: EntityManager,
    subscriberIds: string[],
    source: string,
  ): Promise<ConfirmationMailJobData[]> {
    if (!subscriberIds.length) return [];
    await this.consent.insertMany(manager, subscriberIds, ConsentEventKind.Subscribe, source);
    const tokens = subscriberIds.map(() => {
      const id = randomUUID();
      return { id, hash: hashSecretToken(this.links.confirmationToken(id)).toString('hex') };
    });
    const rows = await this.tokens.insertMany(
      manager,
      subscriberIds,
      tokens,
      this.config.subscriptions.confirmTokenTtlHours,
    );
    return rows.map((row) => ({ subscriberId: row.subscriber_id, tokenId: row.id }));
  }

  async enqueueConfirmations(mails: ConfirmationMailJobData[]): Promise<void> {
    for (let i = 0; i < mails.length; i += 1_000) {
      const jobs = mails.slice(i, i + 1_000).map((data) => ({
        name: TransactionalMailJob.Confirmation,
        data,
        opts: { jobId: transactionalMailJobId(TransactionalMailJob.Confirmation, data.tokenId) },
      }));
      await this.mailQueue.addBulk(jobs);
    }
  }

  /** Erasure: the mail jobs of these tokens (confirmation, welcome, change of address), finished or failed, leave Redis too. */
  async forgetConfirmationJobs(tokenIds: string[]): Promise<void> {
    for (const id of tokenIds)
      for (const job of Object.values(TransactionalMailJob))
        await this.mailQueue.remove(transactionalMailJobId(job, id));
  }

  async recordConsent(
    manager: EntityManager,
    subscriberId: string,
    kind: ConsentEventKind,
    source: string,
    context: RequestContext,
    formVersion: string | null = null,
    digestId?: string,
  ): Promise<void> {
    const consentText = formVersion ? this.consentText(formVersion) : null;
    await this.consent.insert(manager, {
      subscriberId,
      kind,
      source,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 500) ?? null,
      formVersion,
      consentText,
      digestId,
    });
  }

  /** The words the subscriber agreed to, as the given form version showed them. */
  private consentText(formVersion: string): string | null {
    return CONSENT_TEXTS[formVersion]?.(this.config.company.shortName) ?? null;
  }
}
