import { type MailFailure, redactAddresses } from '../mail-failure.js';

/**
 * Sorts a nodemailer SMTP error: a 4xx reply or a network fault is worth retrying; a 5xx reply
 * is final; a 5.1.x enhanced status (RFC 3463: bad destination mailbox) is a hard bounce, so the
 * address must not be mailed again.
 */
export function classifySmtpFailure(error: unknown): MailFailure {
  const failure = error as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const code = typeof failure?.responseCode === 'number' ? failure.responseCode : null;
  const reply = typeof failure?.response === 'string' ? failure.response : null;
  const reason =
    redactAddresses(reply ?? [failure?.code, failure?.message].filter(Boolean).join(': ') ?? 'unknown error').slice(
      0,
      1000,
    ) || 'unknown error';
  if (code !== null && code >= 500 && code < 600) {
    const hardBounce = /(^|\s)5\.1\.\d{1,3}(\s|$)/.test(reply ?? '');
    return { kind: hardBounce ? 'bounce' : 'permanent', code, reason };
  }
  return { kind: 'temporary', code, reason };
}
