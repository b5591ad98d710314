/** What a failed send means for the message: retry it, give it up, or give up the address too. */
export type MailFailureKind = 'temporary' | 'permanent' | 'bounce';

export const MAIL_FAILURE_KINDS: readonly MailFailureKind[] = ['temporary', 'permanent', 'bounce'];

/** A transport's verdict on one failed send, in terms every caller understands. */
export interface MailFailure {
  kind: MailFailureKind;
  /** The provider's status code when it answered (an SMTP reply code, an HTTP status...). */
  code: number | null;
  /** The provider's answer or the network error, for operators; never longer than 1,000 characters. */
  reason: string;
}

/** Anything shaped like an address (with or without its angle brackets) in a provider's reply. */
const ADDRESS = /<?[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"]+>?/g;

/**
 * A provider's reply without the addresses in it (`550 5.1.1 <anna@example.com>` names the
 * recipient), so that a stored error, a log line or a failed job's reason does not keep an
 * address that erasure must remove.
 */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, '<address>');
}
