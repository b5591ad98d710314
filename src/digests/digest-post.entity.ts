import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A post's place in a digest. A post is claimed by at most one live digest (a partial unique index). */
@Entity({ name: 'digest_posts' })
export class DigestPost {
  @PrimaryColumn({ name: 'digest_id', type: 'uuid' })
  digestId: string;

  @PrimaryColumn({ name: 'post_id', type: 'uuid' })
  postId: string;

  /** 1 is the first card. */
  @Column({ type: 'smallint' })
  position: number;

  /** Turned false by a trigger when the digest is cancelled, freeing the post for a later digest. */
  @Column({ name: 'claims_post', type: 'boolean', default: true })
  claimsPost: boolean;
}
