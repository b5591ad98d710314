/**
 * The confirmation mail job: ids only. The token is derived again from the token id when the mail
 * is built (LinkTokens), so Redis never holds a working link.
 */
export interface ConfirmationMailJobData {
  subscriberId: string;
  tokenId: string;
  /** Jobs queued before keyed tokens carried the token itself; honoured until they are gone. */
  token?: string;
}
