import { automock } from '../../test/support/unit/automock.js';
import { newTestService } from '../../test/support/unit/new-test-service.js';
import type { MailFailure } from '../mail/mail-failure.js';
import { MailMetrics } from '../mail/mail-metrics.js';
import { MailTransport } from '../mail/mail-transport.js';
import { SubscribersRepository } from '../subscribers/subscribers.repository.js';
import { type ClaimedDelivery, DeliveriesRepository, type UnclaimedDelivery } from './deliveries.repository.js';
import { DeliveryStatus } from './delivery-status.js';
import { AutoPause } from './auto-pause.js';
import { DigestCompletion } from './digest-completion.js';
import { DigestSender, TemporarySendError } from './digest-sender.js';
import { type DigestCopy, DigestMessage } from './mailer/digest-message.js';
import { DigestMessageBuilder } from './mailer/digest-message-builder.js';
import { DigestMessageCache } from './mailer/digest-message-cache.js';

const deliveryId = '0b6f5a4e-0000-4000-8000-00000000d001';
const digestId = '3f1c2b9e-0000-4000-8000-000000000001';
const subscriberId = '9a7d1c2e-0000-4000-8000-00000000a001';
const claimed: ClaimedDelivery = {
  id: deliveryId,
  digest_id: digestId,
  email: 'subscriber@example.com',
  name: 'Zoë Müller',
  subscriber_id: '9a7d1c2e-0000-4000-8000-00000000a001',
  link_nonce: Buffer.alloc(16, 7),
  mail_format: 'html',
};
const messageId = `${deliveryId}@bhmpc.com`;
const copy = { to: claimed.email, messageId } as DigestCopy;
const sent = { messageId, response: '250 2.0.0 queued' };

const unclaimed = (row: Partial<UnclaimedDelivery>): UnclaimedDelivery => ({
  status: DeliveryStatus.Queued,
  digest_id: digestId,
  digest_status: 'sending',
  paused_at: null,
  subscriber_status: 'confirmed',
  ...row,
});

describe(DigestSender.name, () => {
  let sut: DigestSender;
  let deliveries: jest.Mocked<DeliveriesRepository>;
  let subscribers: jest.Mocked<SubscribersRepository>;
  let builder: jest.Mocked<DigestMessageBuilder>;
  let transport: jest.Mocked<MailTransport>;
  let completion: jest.Mocked<DigestCompletion>;
  let autoPause: jest.Mocked<AutoPause>;
  let message: jest.Mocked<DigestMessage>;

  beforeEach(() => {
    const { sut: sender, mocks } = newTestService(DigestSender, { env: { PUBLIC_URL: 'https://news.bhmpc.com' } });
    sut = sender;
    deliveries = mocks.get(DeliveriesRepository);
    subscribers = mocks.get(SubscribersRepository);
    builder = mocks.get(DigestMessageBuilder);
    transport = mocks.get(MailTransport);
    completion = mocks.get(DigestCompletion);
    autoPause = mocks.get(AutoPause);
    message = automock(DigestMessage);
    mocks.get(DigestMessageCache).get.mockResolvedValue(message);
    builder.messageId.mockReturnValue(messageId);
    builder.copy.mockReturnValue(copy);
    // The metrics only time the send; the mock runs it as the real one does.
    mocks.get(MailMetrics).measure.mockImplementation((_kind, send) => send());
    completion.touched.mockReturnValue();
    subscribers.linkToken.mockImplementation(({ id, linkNonce }) =>
      id === claimed.subscriber_id && linkNonce.equals(claimed.link_nonce) ? 'token-of-the-subscriber' : 'wrong',
    );
  });

  describe('a delivery it claims', () => {
    beforeEach(() => {
      deliveries.claim.mockImplementation(async (ids) => ids.map(() => claimed));
    });

    it('sends the copy, records its message id and tells the completion check', async () => {
      message.send.mockResolvedValue(sent);
      deliveries.markSent.mockResolvedValue();
      await expect(sut.send(deliveryId, false)).resolves.toBe('sent');
      expect(deliveries.claim).toHaveBeenCalledWith([deliveryId]);
      expect(message.send).toHaveBeenCalledWith(transport, copy);
      expect(deliveries.markSent).toHaveBeenCalledWith([{ id: deliveryId, messageId }]);
      expect(completion.touched).toHaveBeenCalledWith(digestId);
    });

    it("addresses the copy to the claimed subscriber with that subscriber's own unsubscribe links, naming the digest", async () => {
      message.send.mockResolvedValue(sent);
      deliveries.markSent.mockResolvedValue();
      await sut.send(deliveryId, false);
      expect(builder.messageId).toHaveBeenCalledWith(deliveryId, digestId);
      expect(builder.copy).toHaveBeenCalledWith(
        { address: claimed.email, name: 'Zoë Müller' },
        messageId,
        {
          page: `https://news.bhmpc.com/unsubscribe/token-of-the-subscriber?digest=${digestId}`,
          oneClick: `https://news.bhmpc.com/unsubscribe/token-of-the-subscriber/one-click?digest=${digestId}`,
          manage: `https://news.bhmpc.com/manage/token-of-the-subscriber?digest=${digestId}`,
        },
        false,
      );
    });

    it('sends a text-only copy to a subscriber who chose plain text, addressed without a name when none is known', async () => {
      deliveries.claim.mockResolvedValue([{ ...claimed, name: null, mail_format: 'text' }]);
      message.send.mockResolvedValue(sent);
      deliveries.markSent.mockResolvedValue();
      await expect(sut.send(deliveryId, false)).resolves.toBe('sent');
      expect(builder.copy).toHaveBeenCalledWith({ address: claimed.email }, messageId, expect.any(Object), true);
    });

    it('claims and records concurrent sends in one batch each', async () => {
      message.send.mockResolvedValue(sent);
      deliveries.markSent.mockResolvedValue();
      await expect(Promise.all([sut.send('d1', false), sut.send('d2', false)])).resolves.toEqual(['sent', 'sent']);
      expect(deliveries.claim.mock.calls).toEqual([[['d1', 'd2']]]);
      expect(deliveries.markSent).toHaveBeenCalledTimes(1);
      expect(deliveries.markSent.mock.calls[0][0].map((sent) => sent.id)).toEqual(['d1', 'd2']);
    });

    describe('when the send fails', () => {
      const fails = (failure: MailFailure) => {
        const error = new Error(failure.reason);
        message.send.mockRejectedValue(error);
        transport.classify.mockImplementation((thrown) => {
          if (thrown !== error) throw new Error('classified another error');
          return failure;
        });
      };

      it('marks a temporary failure retrying, due when the queue retries it, and throws TemporarySendError', async () => {
        fails({ kind: 'temporary', code: 421, reason: '421 try again later' });
        deliveries.noteTemporaryFailure.mockResolvedValue();
        await expect(sut.send(deliveryId, false, 4000)).rejects.toThrow(new TemporarySendError('421 try again later'));
        expect(deliveries.noteTemporaryFailure).toHaveBeenCalledWith(deliveryId, '421 try again later', 421, 4000);
        expect(deliveries.markFailed).not.toHaveBeenCalled();
        expect(deliveries.markSent).not.toHaveBeenCalled();
        expect(completion.touched).not.toHaveBeenCalled();
      });

      it('gives up a temporary failure on the final attempt: failed, with the reason', async () => {
        fails({ kind: 'temporary', code: 421, reason: '421 try again later' });
        deliveries.markFailed.mockResolvedValue({ digest_id: digestId, subscriber_id: subscriberId });
        await expect(sut.send(deliveryId, true)).resolves.toBe('failed');
        expect(deliveries.markFailed).toHaveBeenCalledWith(
          deliveryId,
          DeliveryStatus.Failed,
          '421 try again later',
          421,
        );
        expect(deliveries.noteTemporaryFailure).not.toHaveBeenCalled();
        expect(subscribers.markBounced).not.toHaveBeenCalled();
        expect(completion.touched).toHaveBeenCalledWith(digestId);
      });

      it('marks a bounce bounced, and the subscriber bounced so no later digest goes there, then checks the bounce rate', async () => {
        fails({ kind: 'bounce', code: 550, reason: '550 no such user' });
        deliveries.markFailed.mockResolvedValue({ digest_id: digestId, subscriber_id: subscriberId });
        subscribers.markBounced.mockResolvedValue();
        autoPause.check.mockResolvedValue(null);
        await expect(sut.send(deliveryId, false)).resolves.toBe('bounced');
        expect(autoPause.check).toHaveBeenCalledWith(digestId);
        expect(deliveries.markFailed).toHaveBeenCalledWith(deliveryId, DeliveryStatus.Bounced, '550 no such user', 550);
        expect(subscribers.markBounced).toHaveBeenCalledWith(subscriberId);
        expect(completion.touched).toHaveBeenCalledWith(digestId);
      });

      it('marks a permanent failure failed at once, whatever attempts are left, and leaves the subscriber alone', async () => {
        fails({ kind: 'permanent', code: 554, reason: '554 message rejected' });
        deliveries.markFailed.mockResolvedValue({ digest_id: digestId, subscriber_id: subscriberId });
        await expect(sut.send(deliveryId, false)).resolves.toBe('failed');
        expect(deliveries.markFailed).toHaveBeenCalledWith(
          deliveryId,
          DeliveryStatus.Failed,
          '554 message rejected',
          554,
        );
        expect(subscribers.markBounced).not.toHaveBeenCalled();
      });

      it('does not touch the subscriber of a bounce whose row had already moved on', async () => {
        fails({ kind: 'bounce', code: 550, reason: '550 no such user' });
        deliveries.markFailed.mockResolvedValue(undefined);
        await expect(sut.send(deliveryId, false)).resolves.toBe('bounced');
        expect(subscribers.markBounced).not.toHaveBeenCalled();
        expect(completion.touched).not.toHaveBeenCalled();
      });
    });
  });

  describe('a delivery it cannot claim', () => {
    beforeEach(() => {
      deliveries.claim.mockImplementation(async (ids) => ids.map(() => undefined));
    });

    it.each([
      ['the digest was cancelled', { digest_status: 'cancelled' }, 'digest is cancelled'],
      ['the digest is already sent', { digest_status: 'sent' }, 'digest is sent'],
      ['the subscriber unsubscribed', { subscriber_status: 'unsubscribed' }, 'subscriber is unsubscribed'],
      ['the subscriber bounced earlier', { subscriber_status: 'bounced' }, 'subscriber is bounced'],
      ['the subscriber was erased', { subscriber_status: null }, 'subscriber was erased'],
    ])('skips it when %s, recording the reason, without sending', async (_case, row, reason) => {
      deliveries.whyUnclaimed.mockResolvedValue(unclaimed(row));
      deliveries.skip.mockResolvedValue();
      await expect(sut.send(deliveryId, false)).resolves.toBe('skipped');
      expect(deliveries.skip).toHaveBeenCalledWith(deliveryId, reason);
      expect(completion.touched).toHaveBeenCalledWith(digestId);
      expect(message.send).not.toHaveBeenCalled();
    });

    it.each([DeliveryStatus.Sent, DeliveryStatus.Failed, DeliveryStatus.Bounced, DeliveryStatus.Skipped])(
      'reports done-already for a delivery that is %s (a duplicate job), changing nothing',
      async (status) => {
        deliveries.whyUnclaimed.mockResolvedValue(unclaimed({ status }));
        await expect(sut.send(deliveryId, false)).resolves.toBe('done-already');
        expect(deliveries.skip).not.toHaveBeenCalled();
        expect(message.send).not.toHaveBeenCalled();
      },
    );

    it('reports done-already for a delivery that no longer exists', async () => {
      deliveries.whyUnclaimed.mockResolvedValue(undefined);
      await expect(sut.send(deliveryId, false)).resolves.toBe('done-already');
    });

    it('reports paused while the operator has paused the send, leaving the delivery queued', async () => {
      deliveries.whyUnclaimed.mockResolvedValue(unclaimed({ paused_at: new Date('2026-01-12T14:00:00Z') }));
      await expect(sut.send(deliveryId, false)).resolves.toBe('paused');
      expect(deliveries.skip).not.toHaveBeenCalled();
      expect(completion.touched).not.toHaveBeenCalled();
    });
  });
});
