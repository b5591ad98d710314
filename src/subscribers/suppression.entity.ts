import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export enum SuppressionReason {
  /** The subscriber's data was erased on request; only this hash of the address remains. */
  Erased = 'erased',
  /** The subscriber reported a digest as spam. */
  Complaint = 'complaint',
  /** The address bounced for good. */
  Bounce = 'bounce',
}

/**
 * An address that must not be added back without the subscriber's own new consent. Only the
 * HMAC of the normalised address is kept (see `AddressHasher`), never the address itself.
 */
@Entity({ name: 'suppressions' })
export class Suppression {
  @PrimaryColumn({ name: 'email_hash', type: 'bytea' })
  emailHash: Buffer;

  @Column({ type: 'text' })
  reason: SuppressionReason;

  /** False for rows from before SUPPRESSION_KEY: an unkeyed SHA-256 (see SuppressionsRepository). */
  @Column({ type: 'boolean', default: true })
  keyed: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
