import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';
import { automock } from '../../test/support/unit/automock.js';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import { QueueName, TransactionalMailJob } from '../common/queue.constants.js';
import { hashSecretToken } from '../common/secret-token.js';
import type { ConfirmationMailJobData } from './transactional-mail.job.js';
import { ConfirmationTokensRepository } from './confirmation-tokens.repository.js';
import { ConsentEventKind } from './consent-event.entity.js';
import { ConsentEventsRepository } from './consent-events.repository.js';
import { CURRENT_FORM_VERSION } from './consent.constants.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { AddressHasher } from './address-hasher.js';
import { ConfirmationMailQuota } from './confirmation-mail-quota.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { LinkTokens } from './link-tokens.js';

const subscriberId = '9a7d1c2e-0000-4000-8000-00000000a001';
const tokenId = '5c3e8f10-0000-4000-8000-00000000c001';
const consentText =
  'Yes, email me the Acme weekly digest: one message a week with the new articles from the Acme blog. I can unsubscribe at any time with one click.';
const request = { email: 'reader@example.com', name: 'Ada', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };

describe(SubscriptionsService.name, () => {
  let sut: SubscriptionsService;
  let subscribers: jest.Mocked<SubscribersRepository>;
  let consent: jest.Mocked<ConsentEventsRepository>;
  let tokens: jest.Mocked<ConfirmationTokensRepository>;
  let mailQueue: jest.Mocked<Queue>;
  let quota: jest.Mocked<ConfirmationMailQuota>;
  // Strict: the service hands the caller's transaction to the repositories and never queries it itself.
  const manager = automock(EntityManager);

  beforeEach(() => {
    const { sut: service, mocks } = newTestService(SubscriptionsService, {
      env: { COMPANY_SHORT_NAME: 'Acme', CONFIRM_TOKEN_TTL_HOURS: '24', CONFIRMATION_MAILS_PER_DAY: '2' },
    });
    sut = service;
    subscribers = mocks.get(SubscribersRepository);
    consent = mocks.get(ConsentEventsRepository);
    tokens = mocks.get(ConfirmationTokensRepository);
    mailQueue = mocks.queue(QueueName.TransactionalMail);
    // The mailbox key (no +tag, no Gmail dots) is hashed for the daily cap; the quotas have room.
    mocks.get(AddressHasher).keyed.mockImplementation((key) => Buffer.from(`hmac:${key}`));
    quota = mocks.get(ConfirmationMailQuota);
    quota.take.mockResolvedValue(undefined);
    mocks.get(LinkTokens).confirmationToken.mockImplementation((id) => `token-of-${id}`);
  });

  afterEach(() => jest.restoreAllMocks());

  describe('subscribe', () => {
    it('stores the hash of the token derived from a new token id, and queues a mail carrying ids only', async () => {
      subscribers.subscribe.mockResolvedValue({ subscriberId, tokenId });
      mailQueue.add.mockResolvedValue(undefined as never);
      await sut.subscribe(request);
      expect(subscribers.subscribe).toHaveBeenCalledWith({
        email: 'reader@example.com',
        name: 'Ada',
        source: 'form',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        formVersion: CURRENT_FORM_VERSION,
        consentText,
        tokenId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        tokenHash: expect.any(Buffer),
        tokenTtlHours: 24,
        mailsPerDay: 2,
        mailboxHash: Buffer.from('hmac:reader@example.com'),
      });
      expect(mailQueue.add).toHaveBeenCalledTimes(1);
      const [name, data, options] = mailQueue.add.mock.calls[0];
      expect(name).toBe(TransactionalMailJob.Confirmation);
      expect(options).toEqual({ jobId: `confirmation-${tokenId}` });
      // No token in Redis: the worker derives it again from the id.
      expect(data).toEqual({ subscriberId, tokenId });
      const record = subscribers.subscribe.mock.calls[0][0];
      expect(hashSecretToken(`token-of-${record.tokenId}`).equals(record.tokenHash)).toBe(true);
    });

    it('records the source and form version given, and no consent text for a form version it does not know', async () => {
      subscribers.subscribe.mockResolvedValue({ subscriberId, tokenId });
      mailQueue.add.mockResolvedValue(undefined as never);
      await sut.subscribe({ ...request, source: 'api', formVersion: 'subscribe-form-v0', userAgent: 'x'.repeat(600) });
      expect(subscribers.subscribe).toHaveBeenCalledWith(
        expect.objectContaining({ source: 'api', formVersion: 'subscribe-form-v0', consentText: null }),
      );
      expect(subscribers.subscribe.mock.calls[0][0].userAgent).toHaveLength(500);
    });

    it('queues nothing for an address that is already confirmed, and says nothing the caller could tell apart', async () => {
      subscribers.subscribe.mockResolvedValue(undefined);
      await expect(sut.subscribe(request)).resolves.toBeUndefined();
      expect(mailQueue.add).not.toHaveBeenCalled();
    });

    it("queues nothing once the day's confirmation mails are used up, and warns without the address", async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      subscribers.subscribe.mockResolvedValue({ subscriberId, tokenId: null });
      await expect(sut.subscribe(request)).resolves.toBeUndefined();
      expect(mailQueue.add).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(`confirmation mail cap reached for subscriber ${subscriberId}`);
      expect(JSON.stringify(warn.mock.calls)).not.toContain('reader@example.com');
    });
  });

  describe('resendConfirmation', () => {
    const email = 'reader+news@example.com';

    it('issues a token under the daily cap of the mailbox and queues its mail, carrying ids only', async () => {
      tokens.issue.mockResolvedValue({ pending: true, tokenId });
      mailQueue.add.mockResolvedValue(undefined as never);
      await expect(sut.resendConfirmation(subscriberId, email)).resolves.toBe('queued');
      const issued = tokens.issue.mock.calls[0][0];
      expect(issued).toMatchObject({ subscriberId, ttlHours: 24, mailsPerDay: 2 });
      // Counted with every +tag of the mailbox, as the form counts it.
      expect(issued.mailboxHash).toEqual(Buffer.from('hmac:reader@example.com'));
      const [name, data, options] = mailQueue.add.mock.calls[0];
      expect([name, options]).toEqual([TransactionalMailJob.Confirmation, { jobId: `confirmation-${tokenId}` }]);
      expect(data).toEqual({ subscriberId, tokenId });
      expect(hashSecretToken(`token-of-${issued.tokenId}`).equals(issued.tokenHash)).toBe(true);
    });

    it('says which cap stopped it, and queues nothing then', async () => {
      tokens.issue.mockResolvedValue({ pending: true, tokenId: null });
      await expect(sut.resendConfirmation(subscriberId, email)).resolves.toBe('daily-cap');
      tokens.issue.mockResolvedValue({ pending: true, tokenId });
      quota.take.mockResolvedValue('domain');
      await expect(sut.resendConfirmation(subscriberId, email)).resolves.toBe('hourly-cap');
      expect(quota.take).toHaveBeenCalledWith(email);
      expect(mailQueue.add).not.toHaveBeenCalled();
    });

    it('sends nothing to a subscriber who is no longer pending', async () => {
      tokens.issue.mockResolvedValue({ pending: false, tokenId: null });
      await expect(sut.resendConfirmation(subscriberId, email)).resolves.toBe('not-pending');
      expect(mailQueue.add).not.toHaveBeenCalled();
    });
  });

  describe('startConfirmations', () => {
    it('does nothing for no subscribers', async () => {
      await expect(sut.startConfirmations(manager, [], 'import')).resolves.toEqual([]);
      expect(consent.insertMany).not.toHaveBeenCalled();
      expect(tokens.insertMany).not.toHaveBeenCalled();
    });

    it("records a subscribe event and a token for each, in the caller's transaction, and returns each one's mail", async () => {
      const ids = ['s1', 's2', 's3'];
      consent.insertMany.mockResolvedValue();
      // PostgreSQL may return the rows in any order; each mail must still carry its own subscriber's token.
      tokens.insertMany.mockResolvedValue([
        { id: 't3', subscriber_id: 's3' },
        { id: 't1', subscriber_id: 's1' },
        { id: 't2', subscriber_id: 's2' },
      ]);
      const mails = await sut.startConfirmations(manager, ids, 'import:csv');
      expect(consent.insertMany).toHaveBeenCalledWith(manager, ids, ConsentEventKind.Subscribe, 'import:csv');
      const [inManager, forIds, made, ttlHours] = tokens.insertMany.mock.calls[0];
      expect([inManager, forIds, ttlHours]).toEqual([manager, ids, 24]);
      expect(mails.map(({ subscriberId: id, tokenId: token }) => [id, token])).toEqual([
        ['s3', 't3'],
        ['s1', 't1'],
        ['s2', 't2'],
      ]);
      // Each stored hash is of the token derived from its own new id; the mails carry ids only.
      for (const { id, hash } of made) expect(hashSecretToken(`token-of-${id}`).toString('hex')).toBe(hash);
      expect(new Set(made.map((token) => token.id)).size).toBe(3);
      for (const mail of mails) expect(mail).not.toHaveProperty('token');
    });
  });

  describe('enqueueConfirmations', () => {
    const mails = (count: number): ConfirmationMailJobData[] =>
      Array.from({ length: count }, (_, i) => ({ subscriberId: `s${i}`, tokenId: `t${i}`, token: `token-${i}` }));

    it('adds the jobs in bulks of at most 1,000, each with the job id of its token', async () => {
      mailQueue.addBulk.mockResolvedValue([]);
      await sut.enqueueConfirmations(mails(2_500));
      expect(mailQueue.addBulk.mock.calls.map(([jobs]) => jobs.length)).toEqual([1_000, 1_000, 500]);
      expect(mailQueue.addBulk.mock.calls[2][0][499]).toEqual({
        name: TransactionalMailJob.Confirmation,
        data: { subscriberId: 's2499', tokenId: 't2499', token: 'token-2499' },
        opts: { jobId: 'confirmation-t2499' },
      });
    });

    it('adds nothing for no mails', async () => {
      await sut.enqueueConfirmations([]);
      expect(mailQueue.addBulk).not.toHaveBeenCalled();
    });
  });

  describe('recordConsent', () => {
    it("records the event with the form's consent text and the request's address and user agent", async () => {
      consent.insert.mockResolvedValue();
      await sut.recordConsent(manager, subscriberId, ConsentEventKind.Confirm, 'link', request, CURRENT_FORM_VERSION);
      expect(consent.insert).toHaveBeenCalledWith(manager, {
        subscriberId,
        kind: ConsentEventKind.Confirm,
        source: 'link',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        formVersion: CURRENT_FORM_VERSION,
        consentText,
      });
    });

    it('records no consent text without a form version, and cuts a long user agent to 500 characters', async () => {
      consent.insert.mockResolvedValue();
      await sut.recordConsent(manager, subscriberId, ConsentEventKind.Unsubscribe, 'one-click', {
        ip: null,
        userAgent: 'y'.repeat(900),
      });
      const [, event] = consent.insert.mock.calls[0];
      expect(event).toMatchObject({ ip: null, formVersion: null, consentText: null });
      expect(event.userAgent).toBe('y'.repeat(500));
    });
  });
});
