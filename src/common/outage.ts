/** A dependency the service cannot work without for a moment. */
export type Dependency = 'database' | 'redis';

/** How long clients are asked to wait before trying again (the Retry-After header), in seconds. */
export const OUTAGE_RETRY_AFTER_S = 60;

// What ioredis (and the rate limiter on top of it) say when a bounded client gives up at once.
const REDIS_MESSAGES = [
  "Stream isn't writeable",
  'Command timed out',
  'Reached the max retries per request limit',
  'Connection is closed',
  'Redis connection is not ready',
  'redis unreachable',
];
// Node's network errors, and PostgreSQL's "connection exception" class (08) and shutdown codes (57P0x).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
const DATABASE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'the database system is',
];

/**
 * Which dependency an error says is unreachable, or null when it is an ordinary error (a bug, or
 * bad input). Looks through TypeORM's `driverError` and `cause`. An outage is not a bug: callers
 * answer it with a 503 and Retry-After, and log one line instead of a stack trace.
 */
export function outageOf(error: unknown, depth = 0): Dependency | null {
  if (!error || typeof error !== 'object' || depth > 3) return null;
  const { message, code, name, driverError, cause } = error as {
    message?: unknown;
    code?: unknown;
    name?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  const text = typeof message === 'string' ? message : '';
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => text.includes(m))) return 'redis';
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^08|^57P0[123]$/.test(code))) return 'database';
  if (DATABASE_MESSAGES.some((m) => text.includes(m))) return 'database';
  return outageOf(driverError, depth + 1) ?? outageOf(cause, depth + 1);
}

/** Thrown on purpose when a dependency is known to be down before anything is changed. */
export class DependencyUnavailableError extends Error {
  constructor(readonly dependency: Dependency) {
    super(`${dependency} unreachable`);
  }
}
