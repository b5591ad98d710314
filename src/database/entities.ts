import { Delivery } from '../delivery/delivery.entity.js';
import { Digest } from '../digests/digest.entity.js';
import { DigestPost } from '../digests/digest-post.entity.js';
import { Feed } from '../posts/feed.entity.js';
import { Post } from '../posts/post.entity.js';
import { ConfirmationToken } from '../subscribers/confirmation-token.entity.js';
import { ConsentEvent } from '../subscribers/consent-event.entity.js';
import { Subscriber } from '../subscribers/subscriber.entity.js';
import { Suppression } from '../subscribers/suppression.entity.js';

/** Every entity, listed once for the app's DataSource and the CLI's. */
export const entities = [
  Subscriber,
  ConfirmationToken,
  ConsentEvent,
  Feed,
  Post,
  Digest,
  DigestPost,
  Delivery,
  Suppression,
];
