import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PostArrival } from './post-arrival.js';

/**
 * A blog post, read from a feed or added by hand (`feedId` null). Everything here is plain text
 * or an http(s) URL: nothing from a feed is ever kept as HTML.
 */
@Entity({ name: 'posts' })
export class Post {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'feed_id', type: 'uuid', nullable: true })
  feedId: string | null;

  /** Unique per feed: the feed's guid/id, or the link when it has none. */
  @Column({ type: 'text' })
  guid: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: '' })
  summary: string;

  @Column({ name: 'image_url', type: 'text', nullable: true })
  imageUrl: string | null;

  @Column({ type: 'text', nullable: true })
  author: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  categories: string[];

  /** From the feed; the first-seen time when the feed gives none (`undated`). May lie in the future. */
  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;

  @CreateDateColumn({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  /** The feed gave no date Tidings could read. */
  @Column({ type: 'boolean', default: false })
  undated: boolean;

  /** How the post was first seen: see `PostArrival`. Null for manual posts. */
  @Column({ type: 'text', nullable: true })
  arrival: PostArrival | null;

  /** For a 'head' post: its feed's previous successful read, before the one that first saw it. */
  @Column({ name: 'prior_read_at', type: 'timestamptz', nullable: true })
  priorReadAt: Date | null;
}
