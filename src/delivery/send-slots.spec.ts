import { jest } from '@jest/globals';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import { DomainPacer } from './domain-pacer.js';
import { SendSlots } from './send-slots.js';

describe(SendSlots.name, () => {
  it('runs at most DELIVERY_CONCURRENCY sends at once, a single-delivery job ahead of the batches waiting', async () => {
    const { sut, mocks } = newTestService(SendSlots, { env: { DELIVERY_CONCURRENCY: '2' } });
    mocks.get(DomainPacer).reserve.mockResolvedValue(0);
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const send = (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        finishers.set(name, () => resolve(name));
      });
    const settle = () => new Promise(setImmediate);
    const runs = ['batch-1', 'batch-2', 'batch-3'].map((name) => sut.run(false, () => true, send(name)));
    await settle();
    const retry = sut.run(true, () => true, send('retry'));
    await settle();
    expect(started).toEqual(['batch-1', 'batch-2']);
    finishers.get('batch-1')!();
    await settle();
    expect(started).toEqual(['batch-1', 'batch-2', 'retry']);
    finishers.get('batch-2')!();
    finishers.get('retry')!();
    await settle();
    finishers.get('batch-3')!();
    await expect(Promise.all([...runs, retry])).resolves.toEqual(['batch-1', 'batch-2', 'batch-3', 'retry']);
  });

  it('gives the slot back without sending, or taking a turn on the rate, when asked not to go', async () => {
    const { sut, mocks } = newTestService(SendSlots, { env: { DELIVERY_CONCURRENCY: '1' } });
    const pacer = mocks.get(DomainPacer);
    pacer.reserve.mockResolvedValue(0);
    const send = jest.fn(async () => 'sent');
    await expect(sut.run(false, () => false, send)).resolves.toBeUndefined();
    expect(send).not.toHaveBeenCalled();
    expect(pacer.reserve).not.toHaveBeenCalled();
    await expect(sut.run(false, () => true, send)).resolves.toBe('sent');
    expect(pacer.reserve).toHaveBeenCalledWith(expect.objectContaining({ domain: '*', intervalMs: 10 }));
  });
});
