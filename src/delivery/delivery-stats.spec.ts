import { computeStats, type DeliveryCounts } from './delivery-stats.js';

const counts = (values: Partial<DeliveryCounts>): DeliveryCounts => {
  const all = {
    queued: 0,
    sending: 0,
    retrying: 0,
    sent: 0,
    failed: 0,
    bounced: 0,
    skipped: 0,
    complained: 0,
    ...values,
  };
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

  it('counts retries apart, and says a send that stopped moving is stalled, without an estimate', () => {
    const sut = computeStats(
      counts({ retrying: 6_000, sent: 4_000 }),
      { id: 'd', status: 'sending', sendingAt: start, sentAt: null, cancelledAt: null },
      new Date('2026-11-23T13:05:00Z'),
      {
        nextAttemptAt: new Date('2026-11-23T13:05:30Z'),
        lastFinishedAt: new Date('2026-11-23T13:02:00Z'),
        lastError: 'connect ECONNREFUSED 127.0.0.1:25',
      },
    );
    expect(sut).toMatchObject({
      nextRetryAt: '2026-11-23T13:05:30.000Z',
      lastRetryError: 'connect ECONNREFUSED 127.0.0.1:25',
      estimatedSecondsLeft: null,
      stalled: {
        summary: 'the last 120 s: 0 sent, 6,000 retrying, last error connect ECONNREFUSED 127.0.0.1:25',
        lastFinishedAt: '2026-11-23T13:02:00.000Z',
      },
    });
  });

  it('says the queue may have lost its jobs when open deliveries sit still with none retrying', () => {
    const sut = computeStats(
      counts({ queued: 300, sent: 700 }),
      { id: 'd', status: 'sending', sendingAt: start, sentAt: null, cancelledAt: null },
      new Date('2026-11-23T13:10:00Z'),
      { nextAttemptAt: null, lastFinishedAt: new Date('2026-11-23T13:01:00Z'), lastError: null },
    );
    expect(sut.stalled?.summary).toBe(
      'the last 120 s: 0 sent, 300 queued, no send is being attempted: the queue may have lost its jobs',
    );
  });
});
