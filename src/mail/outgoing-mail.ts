/** A message ready to send: everything already rendered, nothing left to fill in. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers such as List-Unsubscribe. */
  headers?: Record<string, string>;
  /** Without angle brackets; generated on the sender's domain when absent. */
  messageId?: string;
}

export interface SentMail {
  messageId: string;
  /** The SMTP server's reply, or where the .eml file was written. */
  response: string;
}
