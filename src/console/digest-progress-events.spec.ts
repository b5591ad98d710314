import { jest } from '@jest/globals';
import { firstValueFrom, toArray } from 'rxjs';
import type { AdminDigestView } from '../admin/digests/admin-digests.service.js';
import { digestProgressEvents } from './digest-progress-events.js';

const view = (status: string, progressPercent: number) =>
  ({ status, deliveries: { progressPercent, counts: { total: 2 } } }) as unknown as AdminDigestView;

describe(digestProgressEvents.name, () => {
  it('sends an event only when something changed, and ends with a `done` event once the digest settled', async () => {
    const reads = [view('approved', 0), view('sending', 0), view('sending', 0), view('sending', 50), view('sent', 100)];
    let read = 0;
    const load = jest.fn(() => Promise.resolve(reads[Math.min(read++, reads.length - 1)]));
    const sut = digestProgressEvents(load, 1);
    const events = await firstValueFrom(sut.pipe(toArray()));
    expect(events.map((event) => event.data)).toEqual([
      { status: 'approved', progressPercent: 0, counts: { total: 2 }, done: false },
      { status: 'sending', progressPercent: 0, counts: { total: 2 }, done: false },
      { status: 'sending', progressPercent: 50, counts: { total: 2 }, done: false },
      { status: 'sent', progressPercent: 100, counts: { total: 2 }, done: true },
    ]);
    expect(load).toHaveBeenCalledTimes(5);
  });
});
