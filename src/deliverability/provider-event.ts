/** What a provider reported, in our terms. */
export type ProviderEventType = 'bounce' | 'soft_bounce' | 'complaint' | 'delivered' | 'other';

/** One event from a verified webhook, reduced to what matching and the verdict need; `raw` keeps the rest. */
export interface ProviderEvent {
  /** The provider's own id for this event (or the request's signature token): a second arrival is a replay. */
  eventKey: string;
  type: ProviderEventType;
  /** Our Message-ID, without angle brackets, when the event carries it. */
  messageId: string | null;
  providerMessageId: string | null;
  /** The provider's reason (diagnostic code, bounce type), for operators. */
  detail: string | null;
  raw: unknown;
}

/** `<id@host>` or `id@host` -> `id@host`. */
export function bareMessageId(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  return value.trim().replace(/^<|>$/g, '');
}
