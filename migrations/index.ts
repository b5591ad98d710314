import { Subscribers1764000000000 } from './1764000000000-Subscribers.js';
import { Posts1764000001000 } from './1764000001000-Posts.js';
import { PostsListingIndex1764000002000 } from './1764000002000-PostsListingIndex.js';
import { Digests1764000003000 } from './1764000003000-Digests.js';
import { Suppressions1764000004000 } from './1764000004000-Suppressions.js';
import { Deliveries1764000005000 } from './1764000005000-Deliveries.js';
import { FeedReadingState1764000006000 } from './1764000006000-FeedReadingState.js';
import { DigestComposeNotes1764000007000 } from './1764000007000-DigestComposeNotes.js';
import { OneVocabulary1764000010000 } from './1764000010000-OneVocabulary.js';
import { DeliveryRetrying1764000020000 } from './1764000020000-DeliveryRetrying.js';
import { ConfirmationMailboxCaps1764000030000 } from './1764000030000-ConfirmationMailboxCaps.js';
import { KeyedSuppressions1764000030100 } from './1764000030100-KeyedSuppressions.js';
import { SubscriberPreferences1764000040000 } from './1764000040000-SubscriberPreferences.js';
import { Deliverability1764000050010 } from './1764000050010-Deliverability.js';
import { DeliveryStatusTransitions1764000060000 } from './1764000060000-DeliveryStatusTransitions.js';
import { UnsubscribeAttribution1764000090000 } from './1764000090000-UnsubscribeAttribution.js';
import { KeyedLinkTokens1764000120000 } from './1764000120000-KeyedLinkTokens.js';
import { Operators1764000140000 } from './1764000140000-Operators.js';
import { ConsoleSessions1764000150000 } from './1764000150000-ConsoleSessions.js';

/** Every migration, in order. Listed by hand so that the app, the CLI and the tests load the same set. */
export const migrations = [
  Subscribers1764000000000,
  Posts1764000001000,
  PostsListingIndex1764000002000,
  Digests1764000003000,
  Suppressions1764000004000,
  Deliveries1764000005000,
  FeedReadingState1764000006000,
  DigestComposeNotes1764000007000,
  OneVocabulary1764000010000,
  DeliveryRetrying1764000020000,
  ConfirmationMailboxCaps1764000030000,
  KeyedSuppressions1764000030100,
  SubscriberPreferences1764000040000,
  Deliverability1764000050010,
  DeliveryStatusTransitions1764000060000,
  UnsubscribeAttribution1764000090000,
  KeyedLinkTokens1764000120000,
  Operators1764000140000,
  ConsoleSessions1764000150000,
];
