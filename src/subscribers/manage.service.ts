import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isWellFormedToken } from '../common/secret-token.js';
import type { RequestContext } from '../common/request-context.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { type EmailChangeMail, EmailChangeService } from './email-change.service.js';
import type { Subscriber } from './subscriber.entity.js';
import { SubscriberErasureService } from './subscriber-erasure.service.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SuppressionsRepository } from './suppressions.repository.js';

/** The pauses the manage page offers, in weeks. */
export const PAUSE_WEEKS = [2, 4, 8] as const;
export type MailFormat = 'html' | 'text';

const SOURCE = 'manage-page';

/**
 * What a subscriber changes on their manage page, reached with their permanent link (the same
 * token as unsubscribing). Every change is one transaction that locks the row and records a
 * consent event, so the history says who changed what, when and from where.
 */
@Injectable()
export class ManageService {
  constructor(
    private readonly subscribers: SubscribersRepository,
    private readonly subscriptions: SubscriptionsService,
    private readonly suppressions: SuppressionsRepository,
    private readonly erasure: SubscriberErasureService,
    private readonly emailChanges: EmailChangeService,
  ) {}

  async find(token: string): Promise<Subscriber | null> {
    return isWellFormedToken(token) ? this.subscribers.findByUnsubscribeToken(token) : null;
  }

  /** The token of the subscriber's current links (it changes when they re-subscribe). */
  linkToken(subscriber: Subscriber): string {
    return this.subscribers.linkToken(subscriber);
  }

  /** Back on the list after leaving: the link proves the address, so no new confirmation mail. */
  resubscribe(token: string, context: RequestContext): Promise<Subscriber | null> {
    return this.change(token, async (manager, subscriber) => {
      if (!(await this.subscribers.markResubscribed(manager, subscriber.id))) return;
      await this.suppressions.lift(manager, subscriber.email);
      await this.record(manager, subscriber, ConsentEventKind.Resubscribe, context);
    });
  }

  pause(token: string, weeks: number, context: RequestContext): Promise<Subscriber | null> {
    return this.change(token, async (manager, subscriber) => {
      const until = new Date(Date.now() + weeks * 7 * 86_400_000);
      await this.subscribers.setPausedUntil(manager, subscriber.id, until);
      await this.record(manager, subscriber, ConsentEventKind.Pause, context);
    });
  }

  resume(token: string, context: RequestContext): Promise<Subscriber | null> {
    return this.change(token, async (manager, subscriber) => {
      if (!subscriber.pausedUntil) return;
      await this.subscribers.setPausedUntil(manager, subscriber.id, null);
      await this.record(manager, subscriber, ConsentEventKind.Resume, context);
    });
  }

  setFormat(token: string, format: MailFormat, context: RequestContext): Promise<Subscriber | null> {
    return this.change(token, async (manager, subscriber) => {
      if (await this.subscribers.setMailFormat(manager, subscriber.id, format))
        await this.record(manager, subscriber, ConsentEventKind.Format, context);
    });
  }

  /**
   * Asks to move the subscription to `email`: a link goes to that address, and nothing changes
   * until it is used. Throws EmailChangeRefused for an address the form must refuse.
   */
  async requestEmailChange(token: string, email: unknown, context: RequestContext): Promise<Subscriber | null> {
    let mail: EmailChangeMail | undefined;
    const subscriber = await this.change(token, async (manager, subscriber) => {
      mail = await this.emailChanges.request(manager, subscriber, email, context);
    });
    if (mail) await this.emailChanges.mail(mail);
    return subscriber;
  }

  /** Erasure: afterwards the link leads nowhere, as nothing is left to manage. */
  async erase(token: string): Promise<boolean> {
    if (!isWellFormedToken(token)) return false;
    return this.erasure.erase((manager) => this.subscribers.findByUnsubscribeToken(token, manager, true));
  }

  /** Runs `work` on the locked subscriber and returns them as they are afterwards; null for an unknown link. */
  private async change(
    token: string,
    work: (manager: EntityManager, subscriber: Subscriber) => Promise<void>,
  ): Promise<Subscriber | null> {
    if (!isWellFormedToken(token)) return null;
    return this.subscribers.transaction(async (manager) => {
      const subscriber = await this.subscribers.findByUnsubscribeToken(token, manager, true);
      if (!subscriber) return null;
      await work(manager, subscriber);
      return this.subscribers.findById(subscriber.id, manager);
    });
  }

  private record(manager: EntityManager, subscriber: Subscriber, kind: ConsentEventKind, context: RequestContext) {
    return this.subscriptions.recordConsent(manager, subscriber.id, kind, SOURCE, context);
  }
}
