import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { QueueName, TransactionalMailJob } from '../common/queue.constants.js';
import { hashSecretToken, newSecretToken } from '../common/secret-token.js';
import { AppConfig } from '../config/app-config.js';
import { CONSENT_TEXTS, CURRENT_FORM_VERSION } from './consent.constants.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { ConfirmationMailQuota } from './confirmation-mail-quota.js';
import { mailboxKey } from './mailbox-key.js';
import { AddressHasher } from './address-hasher.js';
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
    private readonly subscribers: SubscribersRepository,
    private readonly consent: ConsentEventsRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly config: AppConfig,
    private readonly quota: ConfirmationMailQuota,
    private readonly hasher: AddressHasher,
    @InjectQueue(QueueName.TransactionalMail) private readonly mailQueue: Queue<ConfirmationMailJobData>,
  ) {}

  async subscribe(request: SubscribeRequest): Promise<void> {
    const formVersion = request.formVersion ?? CURRENT_FORM_VERSION;
    const token = newSecretToken();
    const { subscriptions } = this.config;
    const row = await this.subscribers.subscribe({
      email: request.email,
      name: request.name,
      source: request.source ?? 'form',
      ip: request.ip,
      userAgent: request.userAgent?.slice(0, 500) ?? null,
      formVersion,
      consentText: this.consentText(formVersion),
      tokenHash: hashSecretToken(token),
      tokenTtlHours: subscriptions.confirmTokenTtlHours,
      mailsPerDay: subscriptions.confirmationMailsPerDay,
      mailboxHash: this.hasher.keyed(mailboxKey(request.email)),
    });
    if (!row) return;
    if (!row.tokenId) {
      this.logger.warn(`confirmation mail cap reached for subscriber ${row.subscriberId}`);
      return;
    }
    // The token stays unmailed; the subscriber may ask again once the hour has passed.
    if (await this.quota.take(request.email)) return;
    const mail = { subscriberId: row.subscriberId, tokenId: row.tokenId, token };
    await this.mailQueue.add(TransactionalMailJob.Confirmation, mail, { jobId: `confirmation-${mail.tokenId}` });
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
    const tokens = subscriberIds.map(() => newSecretToken());
    await this.consent.insertMany(manager, subscriberIds, ConsentEventKind.Subscribe, source);
    const hashes = tokens.map((token) => hashSecretToken(token).toString('hex'));
    const rows = await this.tokens.insertMany(
      manager,
      subscriberIds,
      hashes,
      this.config.subscriptions.confirmTokenTtlHours,
    );
    const tokenOf = new Map(subscriberIds.map((id, i) => [id, tokens[i]]));
    return rows.map((row) => ({
      subscriberId: row.subscriber_id,
      tokenId: row.id,
      token: tokenOf.get(row.subscriber_id)!,
    }));
  }

  async enqueueConfirmations(mails: ConfirmationMailJobData[]): Promise<void> {
    for (let i = 0; i < mails.length; i += 1_000) {
      const jobs = mails.slice(i, i + 1_000).map((data) => ({
        name: TransactionalMailJob.Confirmation,
        data,
        opts: { jobId: `confirmation-${data.tokenId}` },
      }));
      await this.mailQueue.addBulk(jobs);
    }
  }

  /** Erasure: the confirmation jobs of these tokens, finished or failed, leave Redis too. */
  async forgetConfirmationJobs(tokenIds: string[]): Promise<void> {
    for (const id of tokenIds) await this.mailQueue.remove(`confirmation-${id}`);
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
