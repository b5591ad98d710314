/**
 * The per-subscriber parts of a digest, rendered as placeholders once per digest and filled in at
 * send time by the personaliser. Each is a syntactically valid https URL on the reserved
 * `.invalid` TLD (RFC 2606): MJML, the HTML minifier and html-to-text all keep a URL as it is,
 * and a placeholder that ever escaped into a sent mail would lead nowhere rather than somewhere.
 * The marker contains nothing HTML-escaping changes, so it is found verbatim in both parts.
 */
export const DIGEST_PLACEHOLDERS = {
  unsubscribeUrl: 'https://unsubscribe.tidings.invalid/__TIDINGS_UNSUBSCRIBE__',
  /** The subscriber's manage page, beside the unsubscribe link. Digests composed before it have none. */
  manageUrl: 'https://manage.tidings.invalid/__TIDINGS_MANAGE__',
} as const;

export type DigestPlaceholderName = keyof typeof DIGEST_PLACEHOLDERS;

/** The values for one subscriber, raw: the personaliser escapes them for the HTML part. */
export type SubscriberValues = Record<DigestPlaceholderName, string>;
