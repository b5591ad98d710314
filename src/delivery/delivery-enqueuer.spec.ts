import { newTestService } from '../../test/support/unit/new-test-service.js';
import { DeliveryJob, QueueName } from '../common/queue.constants.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DeliveryStatus } from './delivery-status.js';

const digestId = '3f1c2b9e-0000-4000-8000-000000000001';
const target = (id: string, status?: DeliveryStatus) => ({ id, domain: 'example.com', ...(status ? { status } : {}) });

describe(DeliveryEnqueuer.name, () => {
  const build = () => {
    const { sut, mocks } = newTestService(DeliveryEnqueuer, {
      env: { DELIVERY_MAX_ATTEMPTS: '5', DELIVERY_BACKOFF_MS: '1000' },
    });
    const queue = mocks.queue(QueueName.Delivery);
    queue.addBulk.mockResolvedValue([]);
    return { sut, queue };
  };

  it('offers one tiny batch job per 100-id block, and a job of its own to a retrying delivery', async () => {
    const { sut, queue } = build();
    const offered = await sut.enqueueTargets(digestId, [
      target('199'),
      target('200'),
      target('250', DeliveryStatus.Sending),
      target('299'),
      target('301', DeliveryStatus.Retrying),
    ]);
    expect(offered).toBe(5);
    expect(queue.addBulk).toHaveBeenCalledWith([
      {
        name: DeliveryJob.Batch,
        data: { d: digestId, f: '100' },
        opts: { jobId: `batch-${digestId}-100`, priority: 10 },
      },
      {
        name: DeliveryJob.Batch,
        data: { d: digestId, f: '200' },
        opts: { jobId: `batch-${digestId}-200`, priority: 10 },
      },
      expect.objectContaining({ name: DeliveryJob.Send, data: { deliveryId: '301', domain: 'example.com' } }),
    ]);
  });

  it('gives a retry after the batch its own job with the backoff and the attempts the batch left', async () => {
    const { sut, queue } = build();
    await sut.enqueueSingles([target('201')], { delayMs: 1000, before: 1 });
    expect(queue.addBulk).toHaveBeenCalledWith([
      {
        name: DeliveryJob.Send,
        data: { deliveryId: '201', domain: 'example.com', before: 1 },
        opts: {
          jobId: 'delivery-201',
          priority: 0,
          delay: 1000,
          attempts: 4,
          backoff: { type: 'exponential', delay: 2000 },
        },
      },
    ]);
  });

  it('with verify, removes a dead job before adding it again, and leaves a live one alone', async () => {
    const { sut, queue } = build();
    queue.getJobState.mockImplementation(async (id) => (id === `batch-${digestId}-100` ? 'active' : 'completed'));
    queue.remove.mockResolvedValue(1);
    await sut.enqueueTargets(digestId, [target('150'), target('250')], true);
    expect(queue.remove.mock.calls).toEqual([[`batch-${digestId}-200`]]);
    expect(queue.addBulk.mock.calls[0][0]).toHaveLength(2);
  });

  it('finds a delivery orphaned only when neither its batch nor its own job is alive', async () => {
    const { sut, queue } = build();
    const live = new Set([`batch-${digestId}-100`, 'delivery-250']);
    queue.getJobState.mockImplementation(async (id) => (live.has(id) ? 'active' : 'unknown'));
    await expect(sut.withoutLiveJob(digestId, ['150', '250', '260'])).resolves.toEqual(['260']);
  });
});
