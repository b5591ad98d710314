import { digestStub } from '../../test/support/unit/digest.stub.js';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import { DigestComposer } from './digest-composer.js';
import { DigestPeriodTakenError, DigestRefusedError, DigestStateError } from './digest-errors.js';
import type { DigestPeriod } from './digest-period.js';
import { DigestReleaser } from './digest-releaser.js';
import { DigestStatus } from './digest-status.js';
import { WeeklyDigestService } from './weekly-digest.service.js';

const period: DigestPeriod = { start: new Date('2026-01-05T13:00:00Z'), end: new Date('2026-01-12T13:00:00Z') };

describe(WeeklyDigestService.name, () => {
  let composer: jest.Mocked<DigestComposer>;
  let releaser: jest.Mocked<DigestReleaser>;

  const build = (approval: 'auto' | 'required') => {
    const { sut, mocks } = newTestService(WeeklyDigestService, { env: { DIGEST_APPROVAL: approval } });
    composer = mocks.get(DigestComposer);
    releaser = mocks.get(DigestReleaser);
    return sut;
  };

  describe('with DIGEST_APPROVAL=required', () => {
    it('leaves a freshly composed digest waiting for the operator, releasing nothing', async () => {
      const sut = build('required');
      const outcome = { digest: digestStub(), created: true };
      composer.compose.mockResolvedValue(outcome);
      await expect(sut.run(period)).resolves.toBe(outcome);
      expect(composer.compose).toHaveBeenCalledWith(period);
      expect(releaser.release).not.toHaveBeenCalled();
      expect(releaser.handOver).not.toHaveBeenCalled();
    });

    it('does not hand over again a digest the operator already approved', async () => {
      const sut = build('required');
      const outcome = { digest: digestStub({ status: DigestStatus.Approved }), created: false };
      composer.compose.mockResolvedValue(outcome);
      await expect(sut.run(period)).resolves.toBe(outcome);
      expect(releaser.handOver).not.toHaveBeenCalled();
    });
  });

  describe('with DIGEST_APPROVAL=auto', () => {
    it('releases a composed digest and returns it as released', async () => {
      const sut = build('auto');
      const composed = digestStub();
      const released = digestStub({ status: DigestStatus.Approved });
      composer.compose.mockResolvedValue({ digest: composed, created: true });
      releaser.release.mockResolvedValue(released);
      await expect(sut.run(period)).resolves.toEqual({ digest: released, created: true });
      expect(releaser.release).toHaveBeenCalledWith(composed.id);
    });

    it('returns a digest the pre-release check refused as reloaded, held with its reason, without throwing', async () => {
      const sut = build('auto');
      const composed = digestStub();
      const held = digestStub({ holdReason: 'refused before release: the plain-text part is missing' });
      composer.compose.mockResolvedValue({ digest: composed, created: true });
      releaser.release.mockRejectedValue(new DigestRefusedError(['the plain-text part is missing']));
      composer.reload.mockResolvedValue(held);
      await expect(sut.run(period)).resolves.toEqual({ digest: held, created: true });
      expect(composer.reload).toHaveBeenCalledWith(composed.id);
    });

    it('lets any other release error through, so the job is retried', async () => {
      const sut = build('auto');
      composer.compose.mockResolvedValue({ digest: digestStub(), created: true });
      releaser.release.mockRejectedValue(new DigestStateError('digest is cancelled'));
      await expect(sut.run(period)).rejects.toThrow(DigestStateError);
      expect(composer.reload).not.toHaveBeenCalled();
    });

    it('hands an existing approved digest over again: the retry after a crash between approve and hand-over', async () => {
      const sut = build('auto');
      const outcome = { digest: digestStub({ status: DigestStatus.Approved }), created: false };
      composer.compose.mockResolvedValue(outcome);
      releaser.handOver.mockResolvedValue();
      await expect(sut.run(period)).resolves.toBe(outcome);
      expect(releaser.handOver).toHaveBeenCalledWith(outcome.digest);
      expect(releaser.release).not.toHaveBeenCalled();
    });

    it('records a week without posts as skipped and releases nothing', async () => {
      const sut = build('auto');
      const outcome = { digest: digestStub({ status: DigestStatus.Skipped, html: null, text: null }), created: true };
      composer.compose.mockResolvedValue(outcome);
      await expect(sut.run(period)).resolves.toBe(outcome);
      expect(releaser.release).not.toHaveBeenCalled();
      expect(releaser.handOver).not.toHaveBeenCalled();
    });
  });

  describe('composeNow (an operator asking)', () => {
    it('refuses a period that already has its digest with a 409 naming it, handing nothing over', async () => {
      const sut = build('auto');
      const existing = digestStub({ status: DigestStatus.Approved });
      composer.compose.mockResolvedValue({ digest: existing, created: false });
      const refusal = sut.composeNow(period);
      await expect(refusal).rejects.toBeInstanceOf(DigestPeriodTakenError);
      await expect(refusal).rejects.toThrow(existing.id);
      expect(releaser.handOver).not.toHaveBeenCalled();
      expect(releaser.release).not.toHaveBeenCalled();
    });

    it('releases what it composed when DIGEST_APPROVAL=auto, as the weekly run does', async () => {
      const sut = build('auto');
      const released = digestStub({ status: DigestStatus.Approved });
      composer.compose.mockResolvedValue({ digest: digestStub(), created: true });
      releaser.release.mockResolvedValue(released);
      await expect(sut.composeNow(period)).resolves.toEqual({ digest: released, created: true });
    });
  });
});
