import { jest } from '@jest/globals';
import { QueueName } from '../../../src/common/queue.constants.js';
import { DigestsRepository } from '../../../src/digests/digests.repository.js';
import { DigestReleaseHooks } from '../../../src/digests/digest-release-hooks.js';
import { DigestReleaser } from '../../../src/digests/digest-releaser.js';
import { DigestSender } from '../../../src/delivery/digest-sender.js';
import { MailTransport } from '../../../src/mail/mail-transport.js';
import { SubscriptionsService } from '../../../src/subscribers/subscriptions.service.js';
import { newTestService } from './new-test-service.js';

describe(newTestService.name, () => {
  it('gives each constructor parameter a mock, never a repository built around a DataSource', () => {
    const { mocks } = newTestService(DigestReleaser);
    const digests = mocks.get(DigestsRepository);
    expect(digests).not.toBeInstanceOf(DigestsRepository);
    expect(Object.values(digests).every((member) => jest.isMockFunction(member))).toBe(true);
    expect(jest.isMockFunction(mocks.get(DigestReleaseHooks).released)).toBe(true);
  });

  it('fails a call the test did not stub, naming the method', async () => {
    const { sut } = newTestService(DigestReleaser);
    await expect(sut.release('some-id')).rejects.toThrow('DigestsRepository.findById was called without a mock');
  });

  it('mocks the abstract mail transport and an injected queue, and passes the real configuration', () => {
    const { mocks } = newTestService(SubscriptionsService, { env: { CONFIRM_TOKEN_TTL_HOURS: '12' } });
    expect(jest.isMockFunction(mocks.queue(QueueName.TransactionalMail).add)).toBe(true);
    expect(mocks.config.subscriptions.confirmTokenTtlHours).toBe(12);
    expect(() => mocks.queue(QueueName.Delivery)).toThrow('the service under test takes no queue delivery');
    const transport = newTestService(DigestSender).mocks.get(MailTransport);
    expect(jest.isMockFunction(transport.classify)).toBe(true);
  });
});
