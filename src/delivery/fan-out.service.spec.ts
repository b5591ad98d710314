import { newTestService } from '../../test/support/unit/new-test-service.js';
import { DigestsRepository } from '../digests/digests.repository.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryEnqueuer } from './delivery-enqueuer.js';
import { DigestCompletion } from './digest-completion.js';
import { FanOutService } from './fan-out.service.js';

const digestId = '3f1c2b9e-0000-4000-8000-000000000001';
const frozenAt = new Date('2026-01-12T13:00:02Z');
const FIRST = '00000000-0000-0000-0000-000000000000';

/** The pages createPage returns in turn: the last subscriber id of each and the deliveries it created. */
const pages = (...list: Array<[string | null, string[]]>) =>
  list.map(([last, ids]) => ({ last, created: ids.map(target) }));
const target = (id: string) => ({ id, domain: 'example.com' });

describe(FanOutService.name, () => {
  let sut: FanOutService;
  let digests: jest.Mocked<DigestsRepository>;
  let deliveries: jest.Mocked<DeliveriesRepository>;
  let enqueuer: jest.Mocked<DeliveryEnqueuer>;
  let completion: jest.Mocked<DigestCompletion>;

  const servePages = (list: ReturnType<typeof pages>) => {
    for (const page of list) deliveries.createPage.mockResolvedValueOnce(page);
  };

  beforeEach(() => {
    const { sut: service, mocks } = newTestService(FanOutService, { env: { FANOUT_BATCH_SIZE: '10' } });
    sut = service;
    digests = mocks.get(DigestsRepository);
    deliveries = mocks.get(DeliveriesRepository);
    enqueuer = mocks.get(DeliveryEnqueuer);
    completion = mocks.get(DigestCompletion);
    enqueuer.enqueueTargets.mockImplementation(async (_, targets) => targets.length);
    digests.markFannedOut.mockResolvedValue();
    completion.check.mockResolvedValue(false);
  });

  it('pages through the subscribers frozen at the start and enqueues each page of new deliveries', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s2', ['101', '102']], ['s4', ['201', '202']], ['s5', ['301']], [null, []]));
    await expect(sut.fanOut(digestId)).resolves.toEqual({ digestId, subscribers: 5, enqueued: 5 });
    expect(deliveries.createPage.mock.calls).toEqual([
      [digestId, frozenAt, FIRST, 10],
      [digestId, frozenAt, 's2', 10],
      [digestId, frozenAt, 's4', 10],
      [digestId, frozenAt, 's5', 10],
    ]);
    // Each page's last id block waits for the next page, which may add to it.
    expect(enqueuer.enqueueTargets.mock.calls).toEqual([
      [digestId, [target('101'), target('102')]],
      [digestId, [target('201'), target('202')]],
      [digestId, [target('301')]],
    ]);
    expect(enqueuer.enqueue).not.toHaveBeenCalled();
    expect(digests.markFannedOut).toHaveBeenCalledWith(digestId);
    expect(completion.check).toHaveBeenCalledWith(digestId);
  });

  it('holds back the last id block of each page until the next page, so one batch job covers the whole block', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s4', ['198', '199', '200', '201']], ['s6', ['202', '305']], [null, []]));
    await expect(sut.fanOut(digestId)).resolves.toEqual({ digestId, subscribers: 6, enqueued: 6 });
    expect(enqueuer.enqueueTargets.mock.calls).toEqual([
      [digestId, [target('198'), target('199')]],
      [digestId, [target('200'), target('201'), target('202')]],
      [digestId, [target('305')]],
    ]);
  });

  it('marks the fan-out done only after every enqueue has finished', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s2', ['101', '102']], [null, []]));
    let finish!: (n: number) => void;
    enqueuer.enqueueTargets.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    const fanOut = sut.fanOut(digestId);
    await new Promise(setImmediate);
    expect(digests.markFannedOut).not.toHaveBeenCalled();
    finish(2);
    await expect(fanOut).resolves.toEqual({ digestId, subscribers: 2, enqueued: 2 });
    expect(digests.markFannedOut).toHaveBeenCalledWith(digestId);
  });

  it('keeps at most two enqueues on their way while it inserts the next page', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s2', ['101', '102']], ['s4', ['201', '202']], ['s6', ['301', '302']], [null, []]));
    const finishers: Array<(n: number) => void> = [];
    enqueuer.enqueueTargets.mockImplementation(() => new Promise((resolve) => finishers.push(resolve)));
    const fanOut = sut.fanOut(digestId);
    await new Promise(setImmediate);
    expect(enqueuer.enqueueTargets).toHaveBeenCalledTimes(2);
    expect(deliveries.createPage).toHaveBeenCalledTimes(4);
    finishers[0](2);
    await new Promise(setImmediate);
    expect(enqueuer.enqueueTargets).toHaveBeenCalledTimes(3);
    finishers[1](2);
    finishers[2](2);
    await expect(fanOut).resolves.toEqual({ digestId, subscribers: 6, enqueued: 6 });
  });

  it('skips pages whose deliveries all existed, without an empty enqueue', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s2', []], ['s4', ['202']], [null, []]));
    await expect(sut.fanOut(digestId)).resolves.toEqual({ digestId, subscribers: 1, enqueued: 1 });
    expect(enqueuer.enqueueTargets.mock.calls).toEqual([[digestId, [target('202')]]]);
  });

  it('on resume, also re-offers every queued delivery, since the crashed run may have inserted without enqueueing', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: true });
    servePages(pages(['s2', []], ['s4', ['202']], [null, []]));
    enqueuer.enqueue.mockResolvedValue(3);
    await expect(sut.fanOut(digestId)).resolves.toEqual({ digestId, subscribers: 1, enqueued: 4 });
    expect(deliveries.createPage.mock.calls[0]).toEqual([digestId, frozenAt, FIRST, 10]);
    expect(enqueuer.enqueue).toHaveBeenCalledWith(digestId);
    expect(digests.markFannedOut).toHaveBeenCalledWith(digestId);
    expect(completion.check).toHaveBeenCalledWith(digestId);
  });

  it('does nothing when the digest is neither approved nor a fan-out left midway', async () => {
    digests.startSending.mockResolvedValue(null);
    await expect(sut.fanOut(digestId)).resolves.toEqual({ digestId, subscribers: 0, enqueued: 0 });
    expect(deliveries.createPage).not.toHaveBeenCalled();
    expect(enqueuer.enqueueTargets).not.toHaveBeenCalled();
    expect(digests.markFannedOut).not.toHaveBeenCalled();
    expect(completion.check).not.toHaveBeenCalled();
  });

  it('with no confirmed subscriber, marks the fan-out done and checks completion at once, so the digest is settled', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages([null, []]));
    enqueuer.enqueue.mockResolvedValue(0);
    completion.check.mockResolvedValue(true);
    await expect(sut.fanOut(digestId)).resolves.toEqual({ digestId, subscribers: 0, enqueued: 0 });
    expect(enqueuer.enqueueTargets).not.toHaveBeenCalled();
    expect(digests.markFannedOut).toHaveBeenCalledWith(digestId);
    expect(completion.check).toHaveBeenCalledWith(digestId);
    expect(completion.check.mock.invocationCallOrder[0]).toBeGreaterThan(
      digests.markFannedOut.mock.invocationCallOrder[0],
    );
  });
  it('fails without marking the fan-out done when an enqueue fails, so the retry resumes it', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s2', ['101', '102']], ['s4', ['201', '202']], ['s6', ['301', '302']], [null, []]));
    enqueuer.enqueueTargets.mockRejectedValueOnce(new Error('Redis is down'));
    await expect(sut.fanOut(digestId)).rejects.toThrow('Redis is down');
    expect(digests.markFannedOut).not.toHaveBeenCalled();
    expect(completion.check).not.toHaveBeenCalled();
  });

  it('stops inserting pages once an enqueue has failed', async () => {
    digests.startSending.mockResolvedValue({ frozenAt, resumed: false });
    servePages(pages(['s2', ['101', '102']], ['s4', ['201', '202']], ['s6', ['301', '302']], [null, []]));
    enqueuer.enqueueTargets.mockRejectedValueOnce(new Error('Redis is down'));
    await expect(sut.fanOut(digestId)).rejects.toThrow('Redis is down');
    expect(deliveries.createPage.mock.calls.length).toBeLessThan(4);
  });
});
