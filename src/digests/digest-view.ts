import type { ComposeNote } from './compose-note.js';
import type { Digest } from './digest.entity.js';

/** A digest as the admin API shows it: everything but the rendered parts (see /preview). */
export interface DigestView {
  id: string;
  periodStart: string;
  periodEnd: string;
  status: string;
  subject: string | null;
  preheader: string | null;
  postCount: number;
  moreCount: number;
  holdReason: string | null;
  /** What the compose step left out, trimmed to fit under Gmail's clip, or doubts about the period. */
  composeNotes: ComposeNote[];
  createdAt: string;
  approvedAt: string | null;
  cancelledAt: string | null;
  sendingAt: string | null;
  sentAt: string | null;
  archiveUrl: string | null;
  posts?: DigestPostView[];
}

export interface DigestPostView {
  position: number;
  id: string;
  title: string;
  url: string;
  publishedAt: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toDigestView(digest: Digest, archiveUrl: string | null, posts?: DigestPostView[]): DigestView {
  return {
    id: digest.id,
    periodStart: digest.periodStart.toISOString(),
    periodEnd: digest.periodEnd.toISOString(),
    status: digest.status,
    subject: digest.subject,
    preheader: digest.preheader,
    postCount: digest.postCount,
    moreCount: digest.moreCount,
    holdReason: digest.holdReason,
    composeNotes: digest.composeNotes ?? [],
    createdAt: digest.createdAt.toISOString(),
    approvedAt: iso(digest.approvedAt),
    cancelledAt: iso(digest.cancelledAt),
    sendingAt: iso(digest.sendingAt),
    sentAt: iso(digest.sentAt),
    archiveUrl,
    ...(posts ? { posts } : {}),
  };
}
