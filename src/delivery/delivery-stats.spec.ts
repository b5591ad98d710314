import { computeStats, type DeliveryCounts } from './delivery-stats.js';

const counts = (values: Partial<DeliveryCounts>): DeliveryCounts => {
  const all = { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, skipped: 0, complained: 0, ...values };
  return { ...all, total: Object.values(all).reduce((a, b) => a + b, 0) };
};

describe(computeStats.name, () => {
  const start = new Date('2026-11-23T13:00:00Z');

  it('reports progress, rate and time left during a send', () => {
    const sut = computeStats(
      counts({ queued: 600, sending: 100, sent: 280, failed: 10, bounced: 5, skipped: 5 }),
      { id: 'd', status: 'sending', sendingAt: start, sentAt: null, cancelledAt: null },
      new Date('2026-11-23T13:00:10Z'),
    );
    expect(sut).toMatchObject({
      progressPercent: 30,
      sendRatePerSecond: 30,
      estimatedSecondsLeft: 24,
      finishedAt: null,
      paused: false,
    });
  });

  it('says 100 per cent and no time left once sent', () => {
    const sut = computeStats(counts({ sent: 999, failed: 1 }), {
      id: 'd',
      status: 'sent',
      sendingAt: start,
      sentAt: new Date('2026-11-23T13:00:04Z'),
      cancelledAt: null,
    });
    expect(sut).toMatchObject({
      progressPercent: 100,
      sendRatePerSecond: 250,
      estimatedSecondsLeft: null,
      finishedAt: '2026-11-23T13:00:04.000Z',
    });
  });

  it('says 0 before a send starts, and gives no estimate while paused', () => {
    expect(
      computeStats(counts({}), { id: 'd', status: 'approved', sendingAt: null, sentAt: null, cancelledAt: null }),
    ).toMatchObject({ progressPercent: 0, sendRatePerSecond: 0, estimatedSecondsLeft: null });
    const paused = computeStats(
      counts({ queued: 5, sent: 5 }),
      { id: 'd', status: 'sending', sendingAt: start, sentAt: null, cancelledAt: null, pausedAt: start },
      new Date('2026-11-23T13:00:05Z'),
    );
    expect(paused).toMatchObject({ progressPercent: 50, paused: true, estimatedSecondsLeft: null });
  });

  it('rounds progress down, so 100 means everything is done', () => {
    expect(
      computeStats(counts({ queued: 1, sent: 99_999 }), {
        id: 'd',
        status: 'sending',
        sendingAt: start,
        sentAt: null,
        cancelledAt: null,
      }).progressPercent,
    ).toBe(99.9);
  });
});
