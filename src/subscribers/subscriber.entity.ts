import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SubscriberStatus } from './subscriber-status.js';

/** A subscriber. The address is stored normalised (trimmed, lower-case), and unique. */
@Entity({ name: 'subscribers' })
export class Subscriber {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'enum', enum: SubscriberStatus, enumName: 'subscriber_status', default: SubscriberStatus.Pending })
  status: SubscriberStatus;

  /** Random; the unsubscribe and manage links carry an HMAC of it (LinkTokens). A new one kills older links. */
  @Column({ name: 'link_nonce', type: 'bytea', select: true, insert: false, update: false })
  linkNonce: Buffer;

  /** SHA-256 of the unsubscribe token mailed before keyed tokens; cleared when the nonce changes. */
  @Column({ name: 'legacy_token_hash', type: 'bytea', nullable: true, insert: false, update: false })
  legacyTokenHash: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'unsubscribed_at', type: 'timestamptz', nullable: true })
  unsubscribedAt: Date | null;

  @Column({ name: 'bounced_at', type: 'timestamptz', nullable: true })
  bouncedAt: Date | null;

  /** Digests released before this instant leave the subscriber out. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true })
  pausedUntil: Date | null;

  @Column({ name: 'mail_format', type: 'enum', enum: ['html', 'text'], enumName: 'mail_format', default: 'html' })
  mailFormat: 'html' | 'text';
}
