/**
 * Something the compose step decided that an operator should see, stored with the digest
 * (digests.compose_notes) and shown by the dry run:
 * - `left-out`: a post of the period that is not in the digest, and why;
 * - `trimmed`: cards moved to "N more on the blog" to stay under Gmail's clipping size;
 * - `incomplete`: a feed whose posts may not cover the whole period.
 */
export interface ComposeNote {
  kind: 'left-out' | 'trimmed' | 'incomplete';
  message: string;
  postId?: string;
  feedId?: string;
}
