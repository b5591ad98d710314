import type { AdminDigestView } from '../admin/digests/admin-digests.service.js';
import { digestAlert } from './console-digest-view.js';

const digest = (status: string, extra: { holdReason?: string; paused?: boolean; pauseReason?: string } = {}) =>
  ({
    status,
    holdReason: extra.holdReason ?? null,
    deliveries: { paused: extra.paused ?? false, pauseReason: extra.pauseReason ?? null },
  }) as unknown as AdminDigestView;

describe(digestAlert.name, () => {
  it('names a held digest with its reason before anything else', () => {
    expect(digestAlert(digest('composed', { holdReason: 'no posts with images' }))).toBe('held: no posts with images');
  });

  it('says a composed digest waits for approval', () => {
    expect(digestAlert(digest('composed'))).toBe('awaiting approval');
  });

  it('says why a send paused itself, and only that it paused when an operator paused it', () => {
    expect(digestAlert(digest('sending', { paused: true, pauseReason: 'bounce rate 9% over 5%' }))).toBe(
      'paused by itself: bounce rate 9% over 5%',
    );
    expect(digestAlert(digest('sending', { paused: true }))).toBe('paused');
  });

  it('has nothing to say of a digest sending, sent or cancelled normally', () => {
    for (const status of ['sending', 'sent', 'cancelled', 'skipped']) expect(digestAlert(digest(status))).toBeNull();
  });
});
