/** Where a consent action came from, recorded with its event. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}
