import { jest } from '@jest/globals';
import { HttpStatus } from '@nestjs/common';
import { EntityManager, QueryFailedError } from 'typeorm';
import { automock } from '../../test/support/unit/automock.js';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import { TransactionalMailJob } from '../common/queue.constants.js';
import { hashSecretToken, newSecretToken } from '../common/secret-token.js';
import { LinkTokens } from './link-tokens.js';
import { AddressHasher } from './address-hasher.js';
import { ConfirmationMailQuota } from './confirmation-mail-quota.js';
import type { ConfirmationToken } from './confirmation-token.entity.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { EmailChangeRefused, EmailChangeService } from './email-change.service.js';
import type { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionRateLimiter } from './subscription-rate-limiter.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SuppressionsRepository } from './suppressions.repository.js';

const context = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };
const reader = { id: 'sub-1', email: 'old@example.com', status: SubscriberStatus.Confirmed } as Subscriber;

describe(EmailChangeService.name, () => {
  let sut: EmailChangeService;
  let subscribers: jest.Mocked<SubscribersRepository>;
  let tokens: jest.Mocked<ConfirmationTokensRepository>;
  let suppressions: jest.Mocked<SuppressionsRepository>;
  let subscriptions: jest.Mocked<SubscriptionsService>;
  let quota: jest.Mocked<ConfirmationMailQuota>;
  const manager = automock(EntityManager);

  beforeEach(() => {
    const { sut: service, mocks } = newTestService(EmailChangeService, {
      env: { CONFIRM_TOKEN_TTL_HOURS: '24', CONFIRMATION_MAILS_PER_DAY: '2' },
    });
    sut = service;
    subscribers = mocks.get(SubscribersRepository);
    tokens = mocks.get(ConfirmationTokensRepository);
    suppressions = mocks.get(SuppressionsRepository);
    subscriptions = mocks.get(SubscriptionsService);
    quota = mocks.get(ConfirmationMailQuota);
    mocks.get(SubscriptionRateLimiter).consume.mockResolvedValue();
    mocks.get(AddressHasher).keyed.mockImplementation((key) => Buffer.from(`hmac:${key}`));
    mocks.get(LinkTokens).confirmationToken.mockImplementation((id) => `token-of-${id}`);
    subscribers.transaction.mockImplementation((work) => work(manager));
    subscribers.findByEmail.mockResolvedValue(null);
    suppressions.suppressedAmong.mockResolvedValue(new Set());
    tokens.issueEmailChange.mockResolvedValue('token-2');
    subscriptions.recordConsent.mockResolvedValue();
    subscriptions.queueMail.mockResolvedValue();
  });

  const refusal = (input: unknown, subscriber = reader) =>
    sut.request(manager, subscriber, input, context).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof EmailChangeRefused)) throw error;
        return { status: error.getStatus(), message: error.message };
      },
    );

  describe('request', () => {
    it('issues a link for the normalised new address, records the request, and returns the mail to queue', async () => {
      const mail = await sut.request(manager, reader, '  New@Example.ORG ', context);
      expect(mail).toEqual({
        subscriberId: 'sub-1',
        tokenId: 'token-2',
        newEmail: 'new@example.org',
      });
      const [inManager, record] = tokens.issueEmailChange.mock.calls[0];
      expect(inManager).toBe(manager);
      expect(record).toMatchObject({
        subscriberId: 'sub-1',
        newEmail: 'new@example.org',
        ttlHours: 24,
        mailsPerDay: 2,
        mailboxHash: Buffer.from('hmac:new@example.org'),
      });
      // The job carries ids only; the stored hash is of the token derived from the new token id.
      expect(mail).not.toHaveProperty('token');
      expect(hashSecretToken(`token-of-${record.tokenId}`).equals(record.tokenHash)).toBe(true);
      expect(subscriptions.recordConsent).toHaveBeenCalledWith(
        manager,
        'sub-1',
        ConsentEventKind.EmailChangeRequest,
        'manage-page',
        context,
      );
    });

    it('answers an address held by another subscriber as a free one, with the same records, but mails nothing', async () => {
      subscribers.findByEmail.mockResolvedValue({ id: 'sub-9', status: SubscriberStatus.Confirmed } as Subscriber);
      await expect(sut.request(manager, reader, 'taken@example.org', context)).resolves.toBeUndefined();
      expect(tokens.issueEmailChange).toHaveBeenCalledTimes(1);
      expect(subscriptions.recordConsent).toHaveBeenCalledTimes(1);
    });

    it("mails nothing once the new mailbox has had its day's links", async () => {
      tokens.issueEmailChange.mockResolvedValue(null);
      await expect(sut.request(manager, reader, 'new@example.org', context)).resolves.toBeUndefined();
      expect(subscriptions.recordConsent).toHaveBeenCalledTimes(1);
    });

    it('refuses, before writing anything, a malformed address, the same address, and a subscription not active', async () => {
      expect(await refusal('new.example.org')).toEqual({ status: 400, message: 'email must contain an @' });
      expect(await refusal(undefined)).toEqual({ status: 400, message: 'email must be a string' });
      expect(await refusal('OLD@example.com')).toEqual({
        status: 400,
        message: 'email is already the address of this subscription',
      });
      expect(await refusal('new@example.org', { ...reader, status: SubscriberStatus.Unsubscribed })).toMatchObject({
        status: HttpStatus.CONFLICT,
      });
      expect(tokens.issueEmailChange).not.toHaveBeenCalled();
      expect(subscriptions.recordConsent).not.toHaveBeenCalled();
    });

    it('refuses an address that bounced, or whose owner had it erased', async () => {
      subscribers.findByEmail.mockResolvedValueOnce({ id: 'sub-9', status: SubscriberStatus.Bounced } as Subscriber);
      expect(await refusal('bounced@example.org')).toMatchObject({ status: HttpStatus.UNPROCESSABLE_ENTITY });
      suppressions.suppressedAmong.mockResolvedValueOnce(new Set(['erased@example.org']));
      expect(await refusal('erased@example.org')).toMatchObject({ status: HttpStatus.UNPROCESSABLE_ENTITY });
      expect(suppressions.suppressedAmong).toHaveBeenCalledWith(manager, ['erased@example.org']);
      expect(tokens.issueEmailChange).not.toHaveBeenCalled();
    });
  });

  describe('mail', () => {
    const mail = { subscriberId: 'sub-1', tokenId: 'token-2', token: 'tok', newEmail: 'new@example.org' };

    it('queues the link without the address (it is on the token row), within the hourly caps', async () => {
      quota.take.mockResolvedValue(undefined);
      await sut.mail(mail);
      expect(quota.take).toHaveBeenCalledWith('new@example.org');
      expect(subscriptions.queueMail).toHaveBeenCalledWith(TransactionalMailJob.EmailChangeConfirmation, {
        subscriberId: 'sub-1',
        tokenId: 'token-2',
        token: 'tok',
      });
    });

    it('queues nothing past an hourly cap', async () => {
      quota.take.mockResolvedValue('domain');
      await sut.mail(mail);
      expect(subscriptions.queueMail).not.toHaveBeenCalled();
    });
  });

  describe('confirm', () => {
    const token = newSecretToken();
    const link = (over: Partial<ConfirmationToken> = {}) =>
      ({
        id: 'token-2',
        subscriberId: 'sub-1',
        newEmail: 'new@example.org',
        expiresAt: new Date(Date.now() + 3_600_000),
        usedAt: null,
        ...over,
      }) as ConfirmationToken;

    beforeEach(() => {
      subscribers.findById.mockResolvedValue(reader);
      tokens.markUsed.mockResolvedValue();
      tokens.expireEmailChanges.mockResolvedValue();
      subscribers.changeEmail.mockResolvedValue();
    });

    it('moves the subscription, ends the other links, records the change, then sends the old address a notice', async () => {
      tokens.findByHash.mockResolvedValue(link());
      const { state } = await sut.confirm(token, context);
      expect(state).toBe('valid');
      expect(tokens.markUsed).toHaveBeenCalledWith(manager, 'token-2');
      expect(tokens.expireEmailChanges).toHaveBeenCalledWith(manager, 'sub-1');
      expect(subscribers.changeEmail).toHaveBeenCalledWith(manager, 'sub-1', 'new@example.org');
      expect(subscriptions.recordConsent).toHaveBeenCalledWith(
        manager,
        'sub-1',
        ConsentEventKind.EmailChange,
        'email-change-link',
        context,
      );
      expect(subscriptions.queueMail).toHaveBeenCalledWith(
        TransactionalMailJob.EmailChanged,
        { subscriberId: 'sub-1', tokenId: 'token-2', oldEmail: 'old@example.com' },
        { removeOnComplete: true, removeOnFail: true },
      );
    });

    it.each([
      ['a subscription confirmation link', link({ newEmail: null }), 'unknown'],
      ['a used link', link({ usedAt: new Date() }), 'used'],
      ['an expired link', link({ expiresAt: new Date(Date.now() - 1) }), 'expired'],
    ])('changes nothing for %s', async (_what, row, state) => {
      tokens.findByHash.mockResolvedValue(row);
      await expect(sut.confirm(token, context)).resolves.toEqual({ state });
      expect(subscribers.changeEmail).not.toHaveBeenCalled();
      expect(subscriptions.queueMail).not.toHaveBeenCalled();
    });

    it('changes nothing when another subscriber took the address meanwhile, whether seen first or by the unique key', async () => {
      tokens.findByHash.mockResolvedValue(link());
      subscribers.findByEmail.mockResolvedValueOnce({ id: 'sub-9' } as Subscriber);
      await expect(sut.confirm(token, context)).resolves.toEqual({ state: 'taken' });
      expect(subscribers.changeEmail).not.toHaveBeenCalled();

      const duplicate = new QueryFailedError(
        'UPDATE',
        [],
        Object.assign(new Error('duplicate key'), { code: '23505' }),
      );
      subscribers.changeEmail.mockRejectedValue(duplicate);
      await expect(sut.confirm(token, context)).resolves.toEqual({ state: 'taken' });
      expect(subscriptions.queueMail).not.toHaveBeenCalled();
    });
  });
});
