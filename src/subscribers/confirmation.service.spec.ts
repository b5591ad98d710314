import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { automock } from '../../test/support/unit/automock.js';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import { TransactionalMailJob } from '../common/queue.constants.js';
import { newSecretToken } from '../common/secret-token.js';
import type { ConfirmationToken } from './confirmation-token.entity.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConfirmationService } from './confirmation.service.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import type { Subscriber } from './subscriber.entity.js';
import { SubscriberStatus } from './subscriber-status.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { SuppressionsRepository } from './suppressions.repository.js';

const context = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };
const token = newSecretToken();

describe(ConfirmationService.name, () => {
  let sut: ConfirmationService;
  let subscribers: jest.Mocked<SubscribersRepository>;
  let tokens: jest.Mocked<ConfirmationTokensRepository>;
  let subscriptions: jest.Mocked<SubscriptionsService>;
  const manager = automock(EntityManager);
  const row = (over: Partial<ConfirmationToken> = {}) =>
    ({
      id: 'token-1',
      subscriberId: 'sub-1',
      expiresAt: new Date(Date.now() + 3_600_000),
      usedAt: null,
      newEmail: null,
      ...over,
    }) as ConfirmationToken;
  const pending = { id: 'sub-1', email: 'reader@example.com', status: SubscriberStatus.Pending } as Subscriber;

  beforeEach(() => {
    const { sut: service, mocks } = newTestService(ConfirmationService);
    sut = service;
    subscribers = mocks.get(SubscribersRepository);
    tokens = mocks.get(ConfirmationTokensRepository);
    subscriptions = mocks.get(SubscriptionsService);
    subscribers.transaction.mockImplementation((work) => work(manager));
    subscribers.findById.mockResolvedValue(pending);
    subscribers.markConfirmed.mockResolvedValue();
    tokens.markUsed.mockResolvedValue();
    mocks.get(SuppressionsRepository).lift.mockResolvedValue();
    mocks.get(ConsentEventsRepository).latest.mockResolvedValue(null);
    subscriptions.recordConsent.mockResolvedValue();
  });

  afterEach(() => jest.restoreAllMocks());

  it('confirms, then queues one welcome mail named after the token used', async () => {
    tokens.findByHash.mockResolvedValue(row());
    let committed = false;
    let queuedAfterCommit = false;
    subscribers.transaction.mockImplementation(async (work) => {
      const result = await work(manager);
      committed = true;
      return result;
    });
    subscriptions.queueMail.mockImplementation(async () => {
      queuedAfterCommit = committed;
    });
    await expect(sut.confirm(token, context)).resolves.toEqual({ state: 'valid' });
    // A job that ran before the commit would find the subscriber still pending.
    expect(queuedAfterCommit).toBe(true);
    expect(subscribers.markConfirmed).toHaveBeenCalledWith(manager, 'sub-1');
    expect(subscriptions.queueMail).toHaveBeenCalledTimes(1);
    expect(subscriptions.queueMail).toHaveBeenCalledWith(TransactionalMailJob.Welcome, {
      subscriberId: 'sub-1',
      tokenId: 'token-1',
    });
  });

  it('still confirms when the welcome cannot be queued, logging the token id and no address', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    tokens.findByHash.mockResolvedValue(row());
    subscriptions.queueMail.mockRejectedValue(new Error('Connection is closed.'));
    await expect(sut.confirm(token, context)).resolves.toEqual({ state: 'valid' });
    expect(warn).toHaveBeenCalledWith('welcome token-1 not queued: Connection is closed.');
    expect(JSON.stringify(warn.mock.calls)).not.toContain('reader@example.com');
  });

  it('welcomes nobody for a link already used', async () => {
    tokens.findByHash.mockResolvedValue(row({ usedAt: new Date() }));
    await expect(sut.confirm(token, context)).resolves.toEqual({ state: 'used' });
    expect(subscribers.markConfirmed).not.toHaveBeenCalled();
    expect(subscriptions.queueMail).not.toHaveBeenCalled();
  });

  it('takes a change-of-address link for an unknown one: it confirms no subscription', async () => {
    tokens.findByHash.mockResolvedValue(row({ newEmail: 'new@example.org' }));
    await expect(sut.inspect(token)).resolves.toEqual({ state: 'unknown' });
    await expect(sut.confirm(token, context)).resolves.toEqual({ state: 'unknown' });
    expect(subscribers.markConfirmed).not.toHaveBeenCalled();
    expect(subscriptions.queueMail).not.toHaveBeenCalled();
  });
});
