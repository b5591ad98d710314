import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One confirmation link. Only the SHA-256 of the token is stored, so a database leak does not
 * let anyone confirm addresses; rows outlive their use so that a used or expired link can be
 * told apart from a forged one.
 */
@Entity({ name: 'confirmation_tokens' })
export class ConfirmationToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'subscriber_id', type: 'uuid' })
  subscriberId: string;

  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** Hash of the mailbox (mailboxKey), so the daily cap counts every +tag of one mailbox together. */
  @Column({ name: 'mailbox_hash', type: 'bytea', nullable: true })
  mailboxHash: Buffer | null;

  @Column({ name: 'mailed_at', type: 'timestamptz', nullable: true })
  mailedAt: Date | null;

  /** Set on a link that moves the subscription to this address; null on a subscription's confirmation link. */
  @Column({ name: 'new_email', type: 'text', nullable: true })
  newEmail: string | null;
}
