import { digestStub } from '../../test/support/unit/digest.stub.js';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import { DigestNotFoundError, DigestRefusedError, DigestStateError } from './digest-errors.js';
import { DigestReleaseHooks } from './digest-release-hooks.js';
import { DigestReleaser } from './digest-releaser.js';
import { DigestStatus } from './digest-status.js';
import { DigestsRepository } from './digests.repository.js';

describe(DigestReleaser.name, () => {
  let sut: DigestReleaser;
  let digests: jest.Mocked<DigestsRepository>;
  let hooks: jest.Mocked<DigestReleaseHooks>;
  const composed = digestStub();
  const approved = digestStub({ status: DigestStatus.Approved, approvedAt: new Date('2026-01-12T13:00:02Z') });

  beforeEach(() => {
    const { sut: releaser, mocks } = newTestService(DigestReleaser);
    sut = releaser;
    digests = mocks.get(DigestsRepository);
    hooks = mocks.get(DigestReleaseHooks);
  });

  describe('release', () => {
    it('refuses an unknown digest with a not-found error and changes nothing', async () => {
      digests.findById.mockResolvedValue(null);
      await expect(sut.release(composed.id)).rejects.toThrow(DigestNotFoundError);
      expect(digests.approve).not.toHaveBeenCalled();
      expect(hooks.released).not.toHaveBeenCalled();
    });

    it.each([DigestStatus.Approved, DigestStatus.Sending, DigestStatus.Cancelled, DigestStatus.Skipped])(
      'refuses a digest that is %s: only a composed one can be released',
      async (status) => {
        digests.findById.mockResolvedValue(digestStub({ status }));
        await expect(sut.release(composed.id)).rejects.toThrow(
          new DigestStateError(`digest ${composed.id} is ${status}; only a composed digest can be approved`),
        );
        expect(digests.approve).not.toHaveBeenCalled();
        expect(hooks.released).not.toHaveBeenCalled();
      },
    );

    it('holds back a digest the pre-release check refuses, recording why, and throws the problems', async () => {
      digests.findById.mockResolvedValue(digestStub({ text: null }));
      digests.holdComposed.mockResolvedValue();
      const error = await sut.release(composed.id).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DigestRefusedError);
      expect((error as DigestRefusedError).problems).toEqual(['the plain-text part is missing']);
      expect(digests.holdComposed).toHaveBeenCalledWith(
        composed.id,
        'refused before release: the plain-text part is missing',
      );
      expect(digests.approve).not.toHaveBeenCalled();
      expect(hooks.released).not.toHaveBeenCalled();
    });

    it('loses cleanly to a concurrent change between the read and the approve, naming the state it found', async () => {
      digests.findById
        .mockResolvedValueOnce(composed)
        .mockResolvedValueOnce(digestStub({ status: DigestStatus.Cancelled }));
      digests.approve.mockResolvedValue(false);
      await expect(sut.release(composed.id)).rejects.toThrow(
        new DigestStateError(`digest ${composed.id} is cancelled; only a composed digest can be approved`),
      );
      expect(hooks.released).not.toHaveBeenCalled();
    });

    it('says "gone" when the digest was deleted before the approve', async () => {
      digests.findById.mockResolvedValueOnce(composed).mockResolvedValueOnce(null);
      digests.approve.mockResolvedValue(false);
      await expect(sut.release(composed.id)).rejects.toThrow(/is gone;/);
    });

    it('approves a composed digest, hands its id to the release hooks and returns it approved', async () => {
      digests.findById.mockResolvedValueOnce(composed).mockResolvedValueOnce(approved);
      digests.approve.mockResolvedValue(true);
      hooks.released.mockResolvedValue();
      await expect(sut.release(composed.id)).resolves.toBe(approved);
      expect(digests.approve).toHaveBeenCalledWith(composed.id);
      expect(hooks.released).toHaveBeenCalledWith(composed.id);
      expect(hooks.released.mock.invocationCallOrder[0]).toBeGreaterThan(digests.approve.mock.invocationCallOrder[0]);
    });
  });

  describe('handOver', () => {
    it('hands an approved digest to the release hooks again', async () => {
      hooks.released.mockResolvedValue();
      await sut.handOver(approved);
      expect(hooks.released).toHaveBeenCalledWith(approved.id);
    });

    it.each([DigestStatus.Composed, DigestStatus.Sending, DigestStatus.Sent, DigestStatus.Cancelled])(
      'does nothing with a digest that is %s',
      async (status) => {
        await sut.handOver(digestStub({ status }));
        expect(hooks.released).not.toHaveBeenCalled();
      },
    );
  });
});
