import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A feed Tidings polls, with the state of its last poll. */
@Entity({ name: 'feeds' })
export class Feed {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  url: string;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  /** Conditional GET validators from the last 200 answer. */
  @Column({ type: 'text', nullable: true })
  etag: string | null;

  @Column({ name: 'last_modified', type: 'text', nullable: true })
  lastModified: string | null;

  @Column({ name: 'last_polled_at', type: 'timestamptz', nullable: true })
  lastPolledAt: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  /** Why the last failed poll failed, in words an operator can act on. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** False once an operator disables the feed: it is no longer polled and its posts leave digests. */
  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /**
   * How far back the last read reached, older pages included: the feed's posts are known
   * complete from here on. 1970-01-01 when the whole feed was read; null before the first read.
   */
  @Column({ name: 'covered_since', type: 'timestamptz', nullable: true })
  coveredSince: Date | null;

  /** What the last read put up with (items sharing a guid, an older page that failed). */
  @Column({ name: 'last_warning', type: 'text', nullable: true })
  lastWarning: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
