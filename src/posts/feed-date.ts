import { DateTime } from 'luxon';

/** A feed date (RFC 822 in RSS, ISO 8601 in Atom, RDF and JSON Feed, anything in the wild), or null. */
export function parseFeedDate(raw: unknown): Date | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
  if (typeof raw !== 'string' || !raw.trim()) return null;
  const text = raw.trim();
  for (const parsed of [DateTime.fromRFC2822(text), DateTime.fromISO(text, { zone: 'utc' }), DateTime.fromHTTP(text)]) {
    if (parsed.isValid) return parsed.toJSDate();
  }
  const loose = new Date(text);
  return Number.isNaN(loose.getTime()) ? null : loose;
}
