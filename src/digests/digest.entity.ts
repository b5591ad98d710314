import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ComposeNote } from './compose-note.js';
import { DigestStatus } from './digest-status.js';

/**
 * One weekly digest: the period it covers, what it says, rendered once. The period is unique
 * for ever, and once `sending` the content is frozen by a trigger (migration 1764000003000).
 * The rendered parts still hold the per-subscriber placeholders (see digest-placeholders.ts).
 */
@Entity({ name: 'digests' })
export class Digest {
  /** Chosen by the composer before rendering, because the archive link inside the mail needs it. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Inclusive. */
  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart: Date;

  /** Exclusive: the scheduled time the digest was made for. */
  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd: Date;

  @Column({ type: 'enum', enum: DigestStatus, enumName: 'digest_status' })
  status: DigestStatus;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  preheader: string | null;

  @Column({ type: 'text', nullable: true })
  html: string | null;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  @Column({ name: 'post_count', type: 'integer', default: 0 })
  postCount: number;

  /** Posts of the period left out by DIGEST_MAX_POSTS, pointed to with a link to the blog. */
  @Column({ name: 'more_count', type: 'integer', default: 0 })
  moreCount: number;

  /** Why a composed digest was not released (the pre-release check), or why it was cancelled. */
  @Column({ name: 'hold_reason', type: 'text', nullable: true })
  holdReason: string | null;

  /** What the compose step left out, trimmed or doubts (migration 1764000007000). */
  @Column({ name: 'compose_notes', type: 'jsonb', default: () => "'[]'" })
  composeNotes: ComposeNote[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'sending_at', type: 'timestamptz', nullable: true })
  sendingAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Set while an operator has paused the send (columns added by the deliveries migration). */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  /** Why the send paused itself (a bounce or complaint rate); null when an operator paused it. */
  @Column({ name: 'pause_reason', type: 'text', nullable: true })
  pauseReason: string | null;

  /** The instant whose confirmed subscribers receive this digest. */
  @Column({ name: 'subscribers_frozen_at', type: 'timestamptz', nullable: true })
  subscribersFrozenAt: Date | null;

  /** Set once every subscriber has a delivery row; a fan-out without it is resumed. */
  @Column({ name: 'fanned_out_at', type: 'timestamptz', nullable: true })
  fannedOutAt: Date | null;
}
