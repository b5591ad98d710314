import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { TransactionalMailJob } from '../common/queue.constants.js';
import type { RequestContext } from '../common/request-context.js';
import { randomUUID } from 'node:crypto';
import { hashSecretToken, isWellFormedToken } from '../common/secret-token.js';
import { LinkTokens } from './link-tokens.js';
import { AppConfig } from '../config/app-config.js';
import { AddressHasher } from './address-hasher.js';
import { ConfirmationMailQuota } from './confirmation-mail-quota.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { checkEmailAddress } from './email-address.js';
import { mailboxKey } from './mailbox-key.js';
import type { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionRateLimiter } from './subscription-rate-limiter.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SuppressionsRepository } from './suppressions.repository.js';
import type { EmailChangedMailJobData, EmailChangeMailJobData } from './transactional-mail.job.js';

/** A change of address the manage page refuses, with a message for the reader and the form's status. */
export class EmailChangeRefused extends HttpException {
  constructor(message: string, status = HttpStatus.BAD_REQUEST) {
    super(message, status);
  }
}

/** What a change link is worth right now: `taken` when the address became unavailable meanwhile. */
export type EmailChangeState = 'valid' | 'unknown' | 'expired' | 'used' | 'taken';

/** A change link to mail once the request's transaction has committed. */
export interface EmailChangeMail extends EmailChangeMailJobData {
  newEmail: string;
}

const UNIQUE_VIOLATION = '23505';

/**
 * A subscriber moves their subscription to another address. The request (from the manage page)
 * issues a link that goes to the NEW address; only that link changes the address, so nobody can
 * point a subscription at a mailbox they cannot read. Afterwards the old address gets a notice.
 * An address held by another subscriber gets the same answer as a free one and no mail, so the
 * page never tells who is subscribed; an address that bounced or asked to be forgotten is refused.
 */
@Injectable()
export class EmailChangeService {
  private readonly logger = new Logger(EmailChangeService.name);

  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly tokens: ConfirmationTokensRepository,
    private readonly links: LinkTokens,
    private readonly suppressions: SuppressionsRepository,
    private readonly subscriptions: SubscriptionsService,
    private readonly rateLimiter: SubscriptionRateLimiter,
    private readonly quota: ConfirmationMailQuota,
    private readonly hasher: AddressHasher,
    private readonly config: AppConfig,
  ) {}

  /**
   * Inside the caller's transaction, on the locked subscriber: checks the address, issues the
   * link and records the request. Returns the mail to queue after commit, or nothing to send.
   */
  async request(
    manager: EntityManager,
    subscriber: Subscriber,
    input: unknown,
    context: RequestContext,
  ): Promise<EmailChangeMail | undefined> {
    const checked = checkEmailAddress(input);
    if (!checked.ok) throw new EmailChangeRefused(`email ${checked.problem}`);
    const newEmail = checked.email;
    if (subscriber.status !== SubscriberStatus.Confirmed)
      throw new EmailChangeRefused('Only an active subscription can move: subscribe again first.', HttpStatus.CONFLICT);
    if (newEmail === subscriber.email)
      throw new EmailChangeRefused('email is already the address of this subscription');
    await this.rateLimiter.consume(context.ip ?? 'unknown', newEmail);
    const holder = await this.subscribers.findByEmail(newEmail, manager);
    if (await this.unreachable(manager, newEmail, holder))
      throw new EmailChangeRefused(
        'We cannot send to this address: mail to it bounced, or its owner asked us never to write to it. Choose another address.',
        HttpStatus.UNPROCESSABLE_ENTITY,
      );
    const newTokenId = randomUUID();
    const tokenId = await this.tokens.issueEmailChange(manager, {
      subscriberId: subscriber.id,
      tokenId: newTokenId,
      newEmail,
      tokenHash: hashSecretToken(this.links.confirmationToken(newTokenId)),
      ttlHours: this.config.subscriptions.confirmTokenTtlHours,
      mailsPerDay: this.config.subscriptions.confirmationMailsPerDay,
      mailboxHash: this.hasher.keyed(mailboxKey(newEmail)),
    });
    await this.subscriptions.recordConsent(
      manager,
      subscriber.id,
      ConsentEventKind.EmailChangeRequest,
      'manage-page',
      context,
    );
    // Held by another subscriber, or the mailbox had its links for the day: same answer, same records, no mail.
    if (!tokenId || holder) return undefined;
    return { subscriberId: subscriber.id, tokenId, newEmail };
  }

  /** Queues the link to the new address, within the hourly caps that confirmation mails share. */
  async mail(mail: EmailChangeMail): Promise<void> {
    if (await this.quota.take(mail.newEmail)) return;
    const { newEmail: _address, ...data } = mail;
    await this.subscriptions.queueMail(TransactionalMailJob.EmailChangeConfirmation, data);
  }

  /** The token of the subscriber's current links (they change with the address). */
  linkToken(subscriber: Subscriber): string {
    return this.subscribers.linkToken(subscriber);
  }

  async inspect(token: string): Promise<EmailChangeState> {
    if (!isWellFormedToken(token)) return 'unknown';
    return this.subscribers.transaction(async (manager) => (await this.state(manager, token, false)).state);
  }

  /**
   * Makes the change; any state but `valid` means nothing changed. Returns the subscriber as they
   * are now, for the page to link their manage page.
   */
  async confirm(token: string, context: RequestContext): Promise<{ state: EmailChangeState; subscriber?: Subscriber }> {
    let notice: EmailChangedMailJobData | undefined;
    let result: { state: EmailChangeState; subscriber?: Subscriber };
    try {
      result = await this.subscribers.transaction(async (manager) => {
        const { state, row, subscriber } = await this.state(manager, token, true);
        if (state !== 'valid' || !row?.newEmail || !subscriber) return { state };
        await this.tokens.markUsed(manager, row.id);
        await this.tokens.expireEmailChanges(manager, subscriber.id);
        await this.subscribers.changeEmail(manager, subscriber.id, row.newEmail);
        await this.subscriptions.recordConsent(
          manager,
          subscriber.id,
          ConsentEventKind.EmailChange,
          'email-change-link',
          context,
        );
        notice = { subscriberId: subscriber.id, tokenId: row.id, oldEmail: subscriber.email };
        return { state, subscriber: (await this.subscribers.findById(subscriber.id, manager)) ?? undefined };
      });
    } catch (error) {
      // Another subscriber took the address between the check and the update.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === UNIQUE_VIOLATION)
        return { state: 'taken' };
      throw error;
    }
    if (notice) await this.queueNotice(notice);
    return result;
  }

  /** The old address is kept nowhere else, so the job carries it and leaves Redis as soon as it is done. */
  private async queueNotice(notice: EmailChangedMailJobData): Promise<void> {
    try {
      await this.subscriptions.queueMail(TransactionalMailJob.EmailChanged, notice, {
        removeOnComplete: true,
        removeOnFail: true,
      });
    } catch (error) {
      this.logger.warn(
        `email change ${notice.tokenId}: notice to the old address not queued: ${(error as Error).message}`,
      );
    }
  }

  private async state(manager: EntityManager, token: string, lock: boolean) {
    if (!isWellFormedToken(token)) return { state: 'unknown' as const };
    const row = await this.tokens.findByHash(hashSecretToken(token), manager, lock);
    if (!row?.newEmail) return { state: 'unknown' as const };
    const subscriber = await this.subscribers.findById(row.subscriberId, manager, lock);
    if (!subscriber) return { state: 'unknown' as const };
    if (row.usedAt || subscriber.email === row.newEmail) return { state: 'used' as const };
    if (row.expiresAt.getTime() <= Date.now()) return { state: 'expired' as const };
    const holder = await this.subscribers.findByEmail(row.newEmail, manager);
    if (holder || (await this.unreachable(manager, row.newEmail, holder))) return { state: 'taken' as const };
    return { state: 'valid' as const, row, subscriber };
  }

  /** Bounced, or erased at its owner's request (a suppression with no subscriber back since). */
  private async unreachable(manager: EntityManager, email: string, holder: Subscriber | null): Promise<boolean> {
    if (holder) return holder.status === SubscriberStatus.Bounced;
    return (await this.suppressions.suppressedAmong(manager, [email])).has(email);
  }
}
