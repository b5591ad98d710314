/**
 * Why a feed could not be read, worded for the operator who reads it in GET /admin/feeds and in
 * the logs. Anything else thrown while polling is a bug and is reported as such.
 */
export class FeedReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedReadError';
  }
}
