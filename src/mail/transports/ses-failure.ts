import type { MailFailure } from '../mail-failure.js';

/** SES v2 errors worth a retry: throttling, a paused account an operator can re-enable, SES's own faults. */
const TEMPORARY = new Set(['TooManyRequestsException', 'LimitExceededException', 'SendingPausedException']);

/**
 * Sorts an SES v2 SendEmail error (the SDK names it after the `x-amzn-ErrorType` the API answered).
 * MessageRejected, BadRequestException (a malformed address) and AccountSuspendedException are
 * final; a rejection naming the suppression list means the address bounced before, so it is a
 * bounce. Network faults and 5xx answers are temporary.
 */
export function classifySesFailure(error: unknown): MailFailure {
  const failure = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = typeof failure?.name === 'string' ? failure.name : '';
  const status = failure?.$metadata?.httpStatusCode ?? null;
  const reason = [name || failure?.code, failure?.message].filter(Boolean).join(': ').slice(0, 1000) || 'unknown error';
  if (TEMPORARY.has(name) || status === null || status >= 500 || status === 429) {
    return { kind: 'temporary', code: status, reason };
  }
  if (name === 'MessageRejected' && /suppress/i.test(String(failure.message))) {
    return { kind: 'bounce', code: status, reason };
  }
  return { kind: 'permanent', code: status, reason };
}
