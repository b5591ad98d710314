import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum ConsentEventKind {
  Subscribe = 'subscribe',
  Confirm = 'confirm',
  Unsubscribe = 'unsubscribe',
  /** One click on the manage or unsubscribe page, by someone holding the subscriber's own link. */
  Resubscribe = 'resubscribe',
  Pause = 'pause',
  Resume = 'resume',
  /** HTML or plain text only. */
  Format = 'format',
  /** A new address was asked for; it takes effect once confirmed from that address. */
  EmailChangeRequest = 'email_change_request',
  EmailChange = 'email_change',
}

/** Proof of consent: what the subscriber did, when, from where, and what they were shown. */
@Entity({ name: 'consent_events' })
export class ConsentEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'subscriber_id', type: 'uuid' })
  subscriberId: string;

  @Column({ type: 'enum', enum: ConsentEventKind, enumName: 'consent_event_kind' })
  kind: ConsentEventKind;

  /** Where it came from: the web form, a one-click header, an operator, an import. */
  @Column({ type: 'text' })
  source: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ name: 'form_version', type: 'text', nullable: true })
  formVersion: string | null;

  @Column({ name: 'consent_text', type: 'text', nullable: true })
  consentText: string | null;

  /** An unsubscribe: the digest whose link or mailto was used, when it was sent to this subscriber. */
  @Column({ name: 'digest_id', type: 'uuid', nullable: true })
  digestId: string | null;
}
