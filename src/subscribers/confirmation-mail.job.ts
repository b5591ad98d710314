/**
 * The confirmation mail job. It carries the token itself because only its hash is stored; the
 * job is removed once the mail is sent.
 */
export interface ConfirmationMailJobData {
  subscriberId: string;
  tokenId: string;
  token: string;
}
