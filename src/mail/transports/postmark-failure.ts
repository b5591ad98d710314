import type { MailFailure } from '../mail-failure.js';

/** Postmark API ErrorCodes (postmarkapp.com/developer/api/overview#error-codes) that we sort apart. */
const INACTIVE_RECIPIENT = 406;
const RATE_LIMITED = 429;
const MAINTENANCE = 100;

/**
 * Sorts a Postmark API error (the client's PostmarkError carries `code` = ErrorCode and
 * `statusCode` = HTTP status). 406 (the recipient is inactive: it bounced or complained before)
 * is a bounce; 429 and maintenance or server faults are temporary; any other API error, 300
 * (an invalid address or request) among them, is final.
 */
export function classifyPostmarkFailure(error: unknown): MailFailure {
  const failure = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  const code = typeof failure?.code === 'number' && failure.code > 0 ? failure.code : null;
  const status = typeof failure?.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : null;
  const reason =
    [code !== null ? `ErrorCode ${code}` : failure?.code, failure?.message].filter(Boolean).join(': ').slice(0, 1000) ||
    'unknown error';
  if (code === INACTIVE_RECIPIENT) return { kind: 'bounce', code, reason };
  if (status === null || status >= 500 || status === RATE_LIMITED || code === RATE_LIMITED || code === MAINTENANCE) {
    return { kind: 'temporary', code: code ?? status, reason };
  }
  return { kind: 'permanent', code: code ?? status, reason };
}
