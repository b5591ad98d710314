import { Injectable, Logger } from '@nestjs/common';
import { MicroBatcher } from '../common/micro-batcher.js';
import { AppConfig } from '../config/app-config.js';
import type { MailFailure } from '../mail/mail-failure.js';
import { MailMetrics } from '../mail/mail-metrics.js';
import { MailTransport } from '../mail/mail-transport.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import { unsubscribeUrls } from '../subscribers/unsubscribe-links.js';
import { AutoPause } from './auto-pause.js';
import { type ClaimedDelivery, DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryStatus, OPEN_DELIVERY_STATUSES } from './delivery-status.js';
import { DigestCompletion } from './digest-completion.js';
import { DigestMessageBuilder } from './mailer/digest-message-builder.js';
import { DigestMessageCache } from './mailer/digest-message-cache.js';

export type SendOutcome = 'sent' | 'skipped' | 'paused' | 'done-already' | 'retry' | 'failed' | 'bounced';

/**
 * Thrown for a temporary failure that still has attempts left: a batch gives the delivery a job of
 * its own, due after the backoff; a single-delivery job is retried by BullMQ with backoff.
 */
export class TemporarySendError extends Error {}

/**
 * Sends one delivery. Called for each delivery of a batch and by single-delivery jobs, and testable
 * without the queue. Before sending it claims the row in one statement that also checks the digest
 * is sending and not paused, and the subscriber is still confirmed; afterwards it records the
 * outcome. The queue never decides anything.
 */
@Injectable()
export class DigestSender {
  private readonly logger = new Logger(DigestSender.name);
  /**
   * Concurrent sends claim and record in batches: one statement (and one run of the counting
   * trigger) for many deliveries instead of two per message.
   */
  private readonly claims = new MicroBatcher<string, ClaimedDelivery | undefined>((ids) => this.deliveries.claim(ids));
  private readonly finishes = new MicroBatcher<{ id: string; messageId: string; providerMessageId?: string }, void>(
    async (sent) => {
      await this.deliveries.markSent(sent);
      return sent.map(() => undefined);
    },
  );

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly subscribers: SubscribersRepository,
    private readonly cache: DigestMessageCache,
    private readonly builder: DigestMessageBuilder,
    private readonly transport: MailTransport,
    private readonly completion: DigestCompletion,
    private readonly metrics: MailMetrics,
    private readonly config: AppConfig,
    private readonly autoPause: AutoPause,
  ) {}

  /** `retryInMs`: when the queue will run this delivery's job again after a temporary failure. */
  async send(deliveryId: string, finalAttempt: boolean, retryInMs = 0): Promise<SendOutcome> {
    const claimed = await this.claims.add(deliveryId);
    if (!claimed) return this.notClaimed(deliveryId);

    const message = await this.cache.get(claimed.digest_id);
    const messageId = this.builder.messageId(deliveryId, claimed.digest_id);
    const copy = this.builder.copy(
      { address: claimed.email, ...(claimed.name ? { name: claimed.name } : {}) },
      messageId,
      unsubscribeUrls(
        this.config,
        this.subscribers.linkToken({ id: claimed.subscriber_id, linkNonce: claimed.link_nonce }),
        claimed.digest_id,
      ),
      claimed.mail_format === 'text',
    );
    let providerMessageId: string | undefined;
    try {
      ({ providerMessageId } = await this.metrics.measure('digest', () => message.send(this.transport, copy)));
    } catch (error) {
      return this.failed(deliveryId, this.transport.classify(error), finalAttempt, retryInMs);
    }
    await this.finishes.add({ id: deliveryId, messageId, providerMessageId });
    this.completion.touched(claimed.digest_id);
    return 'sent';
  }

  /** Why a delivery could not be claimed, and what that means for it. */
  private async notClaimed(deliveryId: string): Promise<SendOutcome> {
    const row = await this.deliveries.whyUnclaimed(deliveryId);
    if (!row || !(OPEN_DELIVERY_STATUSES as readonly string[]).includes(row.status)) return 'done-already';
    // The row stays queued or retrying and the job ends: resume re-offers both.
    if (row.digest_status === 'sending' && row.paused_at) return 'paused';
    const reason =
      row.digest_status !== 'sending'
        ? `digest is ${row.digest_status}`
        : row.subscriber_status
          ? `subscriber is ${row.subscriber_status}`
          : 'subscriber was erased';
    await this.deliveries.skip(deliveryId, reason);
    this.completion.touched(row.digest_id);
    return 'skipped';
  }

  private async failed(
    deliveryId: string,
    failure: MailFailure,
    finalAttempt: boolean,
    retryInMs: number,
  ): Promise<SendOutcome> {
    if (failure.kind === 'temporary' && !finalAttempt) {
      await this.deliveries.noteTemporaryFailure(deliveryId, failure.reason, failure.code, retryInMs);
      throw new TemporarySendError(failure.reason);
    }
    const status = failure.kind === 'bounce' ? DeliveryStatus.Bounced : DeliveryStatus.Failed;
    const row = await this.deliveries.markFailed(deliveryId, status, failure.reason, failure.code);
    if (failure.kind === 'bounce' && row?.subscriber_id) await this.subscribers.markBounced(row.subscriber_id);
    if (failure.kind === 'bounce' && row) await this.autoPause.check(row.digest_id);
    if (row) this.completion.touched(row.digest_id);
    this.logger.warn(`delivery ${deliveryId} ${status}: ${failure.reason}`);
    return status;
  }
}
