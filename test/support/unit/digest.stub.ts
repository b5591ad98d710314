import type { Digest } from '../../../src/digests/digest.entity.js';
import { DIGEST_PLACEHOLDERS } from '../../../src/digests/digest-placeholders.js';
import { DigestStatus } from '../../../src/digests/digest-status.js';

const unsubscribe = DIGEST_PLACEHOLDERS.unsubscribeUrl;

/**
 * A digest as the repository would return it, composed by default and passing the pre-release
 * check (both parts, the unsubscribe placeholder in each). Override what a test is about.
 */
export function digestStub(overrides: Partial<Digest> = {}): Digest {
  return {
    id: '3f1c2b9e-0000-4000-8000-000000000001',
    periodStart: new Date('2026-01-05T13:00:00Z'),
    periodEnd: new Date('2026-01-12T13:00:00Z'),
    status: DigestStatus.Composed,
    subject: 'BHM Healthcare weekly: A title and 2 more',
    preheader: null,
    html: `<html><body><a href="https://www.bhmpc.com/blog/a-title">A title</a><a href="${unsubscribe}">Unsubscribe</a></body></html>`,
    text: `A title\nUnsubscribe: ${unsubscribe}\n`,
    postCount: 3,
    moreCount: 0,
    holdReason: null,
    composeNotes: [],
    createdAt: new Date('2026-01-12T13:00:01Z'),
    updatedAt: new Date('2026-01-12T13:00:01Z'),
    approvedAt: null,
    cancelledAt: null,
    sendingAt: null,
    sentAt: null,
    pausedAt: null,
    pauseReason: null,
    subscribersFrozenAt: null,
    fannedOutAt: null,
    ...overrides,
  };
}
