import { redactSecrets } from '../config/redact-secrets.js';

/**
 * Why a feed could not be read, worded for the operator who reads it in GET /admin/feeds and in
 * the logs. Anything else thrown while polling is a bug and is reported as such. The URLs in it
 * are shown without their credentials (a feed URL may carry a password or a token).
 */
export class FeedReadError extends Error {
  constructor(message: string) {
    super(redactSecrets(message));
    this.name = 'FeedReadError';
  }
}
