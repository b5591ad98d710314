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

/** The welcome after a confirmation: ids only, everything else is read when the mail is built. */
export interface WelcomeMailJobData {
  subscriberId: string;
  /** The confirmation token that was used: one welcome per confirmation. */
  tokenId: string;
}

/** The link to a new address: ids only, like the confirmation mail; the address is on the token's row. */
export type EmailChangeMailJobData = ConfirmationMailJobData;

/**
 * The notice to the address a subscriber left. That address is stored nowhere any more, so the job
 * carries it; the job is removed as soon as it is done.
 */
export interface EmailChangedMailJobData {
  subscriberId: string;
  tokenId: string;
  oldEmail: string;
}

/** Sends one kind of transactional mail; false when there was nothing to send any more. */
export interface TransactionalMailHandler<T = never> {
  send(data: T): Promise<boolean>;
}
