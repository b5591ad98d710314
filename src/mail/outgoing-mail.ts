/** A message ready to send: everything already rendered, nothing left to fill in. The transport adds From and Reply-To. */
export interface OutgoingMail {
  to: string;
  /** The recipient's name for the To header, when known (a confirmed subscriber's); never a pending one's. */
  toName?: string | null;
  subject: string;
  /** Absent for a text-only message (a subscriber who chose plain text). */
  html?: string;
  text: string;
  /** Extra headers such as List-Unsubscribe. */
  headers?: Record<string, string>;
  /** Without angle brackets; generated on the sender's domain when absent. */
  messageId?: string;
}

/** A message already built to the byte, From and DKIM-relevant headers included. */
export interface RawMail {
  /** The envelope recipient's address. */
  to: string;
  /** The Message-ID inside `raw`, without angle brackets: the transport reports it back. */
  messageId: string;
  raw: Buffer;
}

export interface SentMail {
  /** Our Message-ID, without angle brackets. */
  messageId: string;
  /**
   * The id the provider gave the message, when it gives one (an API's message id); bounce and
   * complaint notifications refer to it. SMTP has none that is reliable.
   */
  providerMessageId?: string;
  /** The provider's reply, or where the .eml file was written. */
  response: string;
}
