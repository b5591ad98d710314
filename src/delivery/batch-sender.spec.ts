import { newTestService } from '../../test/support/unit/new-test-service.js';
import { DigestsRepository } from '../digests/digests.repository.js';
import { BatchSender } from './batch-sender.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import type { SendTarget } from './delivery-job.js';
import { DeliveryStatus } from './delivery-status.js';
import { DigestSender, TemporarySendError } from './digest-sender.js';
import { DomainPacer } from './domain-pacer.js';
import { SendSlots } from './send-slots.js';

const digestId = '3f1c2b9e-0000-4000-8000-000000000001';
const row = (id: string, status = DeliveryStatus.Queued, domain = 'example.com'): SendTarget => ({
  id,
  domain,
  status,
});

describe(BatchSender.name, () => {
  let sut: BatchSender;
  let deliveries: jest.Mocked<DeliveriesRepository>;
  let digests: jest.Mocked<DigestsRepository>;
  let sender: jest.Mocked<DigestSender>;
  let enqueuer: jest.Mocked<DeliveryEnqueuer>;

  beforeEach(() => {
    const { sut: service, mocks } = newTestService(BatchSender, {
      env: { DELIVERY_CONCURRENCY: '1', DELIVERY_BACKOFF_MS: '1000', DOMAIN_RATES: 'paced.example=30/min' },
    });
    sut = service;
    deliveries = mocks.get(DeliveriesRepository);
    digests = mocks.get(DigestsRepository);
    sender = mocks.get(DigestSender);
    enqueuer = mocks.get(DeliveryEnqueuer);
    const pacer = mocks.get(DomainPacer);
    Object.assign(pacer, { rates: new Map(mocks.config.delivery.domainRates.map((rate) => [rate.domain, rate])) });
    pacer.reserve.mockResolvedValue(0);
    // The real slots, one at a time: the batch's messages go strictly one after the other.
    const slots = new SendSlots(pacer, mocks.config);
    mocks.get(SendSlots).run.mockImplementation((urgent, go, send) => slots.run(urgent, go, send));
    digests.sendingIds.mockResolvedValue([digestId]);
    enqueuer.enqueueSingles.mockResolvedValue();
    sender.send.mockResolvedValue('sent');
  });

  it('reads its block and sends the queued deliveries itself, giving paced and in-flight ones a job of their own', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([
      row('200'),
      row('201', DeliveryStatus.Queued, 'paced.example'),
      row('202', DeliveryStatus.Sending),
      row('299'),
      row('300'),
    ]);
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({ outcomes: { sent: 2 }, handedOn: 2 });
    expect(deliveries.sendTargetsPage).toHaveBeenCalledWith(
      digestId,
      [DeliveryStatus.Queued, DeliveryStatus.Sending],
      '199',
      100,
      // Bounded to the block: a short primary-key range, whatever the digest's size.
      '299',
    );
    expect(enqueuer.enqueueSingles).toHaveBeenCalledWith([
      row('201', DeliveryStatus.Queued, 'paced.example'),
      row('202', DeliveryStatus.Sending),
    ]);
    // 300 belongs to the next block.
    expect(sender.send.mock.calls.map(([id]) => id)).toEqual(['200', '299']);
  });

  it('retries a temporary failure as a job of that one delivery, with the backoff, and sends the rest', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([row('200'), row('201'), row('202')]);
    sender.send.mockImplementation(async (id) => {
      if (id === '201') throw new TemporarySendError('451 try later');
      return 'sent';
    });
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({ outcomes: { sent: 2, retry: 1 }, handedOn: 0 });
    expect(sender.send).toHaveBeenCalledWith('201', false, 1000);
    expect(enqueuer.enqueueSingles).toHaveBeenLastCalledWith([row('201')], { delayMs: 1000, before: 1 });
  });

  it('stops between messages once a claim finds the digest paused, leaving the rest queued', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([row('200'), row('201'), row('202')]);
    sender.send.mockResolvedValueOnce('sent').mockResolvedValueOnce('paused');
    digests.sendingIds.mockResolvedValueOnce([digestId]).mockResolvedValue([]);
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({
      outcomes: { sent: 1, paused: 1 },
      handedOn: 0,
      stopped: 'paused',
    });
    expect(sender.send).toHaveBeenCalledTimes(2);
  });

  it('sends nothing for a digest no longer sending (paused or cancelled)', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([row('200'), row('201')]);
    digests.sendingIds.mockResolvedValue([]);
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({ outcomes: {}, handedOn: 0, stopped: 'paused' });
    expect(sender.send).not.toHaveBeenCalled();
  });

  it('asks again before it stops, so a batch started just after a resume sends though the process last saw the digest paused', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([row('200')]);
    // The cached look, the fresh one before stopping, and the last one before the job ends.
    digests.sendingIds.mockResolvedValueOnce([]).mockResolvedValueOnce([]).mockResolvedValueOnce([]);
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toMatchObject({ stopped: 'paused' });
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({ outcomes: { sent: 1 }, handedOn: 0 });
  });

  it('goes back to the queue when the digest was resumed while it was stopping, as resume could not add it again', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([row('200'), row('201')]);
    sender.send.mockResolvedValueOnce('paused');
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({
      outcomes: { paused: 1 },
      handedOn: 0,
      stopped: 'resumed',
    });
  });

  it('stops when its worker closes, so the job can go back to the queue', async () => {
    deliveries.sendTargetsPage.mockResolvedValue([row('200')]);
    sut.close();
    await expect(sut.run({ d: digestId, f: '200' })).resolves.toEqual({
      outcomes: {},
      handedOn: 0,
      stopped: 'closing',
    });
    expect(sender.send).not.toHaveBeenCalled();
  });
});
