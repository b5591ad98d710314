import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

/**
 * chrono-node's strict parsers for the languages blogs write their RSS dates in. Each knows its
 * language's month and day names (abbreviated or not, with or without a dot) and every parser
 * shares chrono's table of zone abbreviations (CEST, MESZ, BST, AEST, BRT ...), so no table of
 * ours has to be kept up to date. English comes first: on a tie it wins.
 */
const LOCALES = [chrono.en, chrono.pt, chrono.es, chrono.fr, chrono.de, chrono.it, chrono.nl, chrono.sv] as const;

/**
 * A feed date (RFC 822 in RSS, ISO 8601 in Atom, RDF and JSON Feed, anything in the wild), or
 * null. The strict RFC 822, ISO and HTTP readers of luxon go first, since they cover nearly
 * every feed exactly; chrono-node then reads what they cannot: localized names (`Seg, 24 Set
 * 2018 19:42:40 -0300`) and zone abbreviations (`… CEST`). A date without a zone is UTC.
 */
export function parseFeedDate(raw: unknown): Date | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
  if (typeof raw !== 'string' || !raw.trim()) return null;
  const text = raw.trim();
  for (const parsed of [DateTime.fromRFC2822(text), DateTime.fromISO(text, { zone: 'utc' }), DateTime.fromHTTP(text)]) {
    if (parsed.isValid) return parsed.toJSDate();
  }
  return parseWithChrono(text);
}

/**
 * The reading that covers the most of the text among the locales that find a whole calendar
 * date in it. A bare time ("19:42") or a weekday alone never counts: a post must not be dated
 * "today" because its date was half understood.
 */
function parseWithChrono(text: string): Date | null {
  let best: { length: number; date: Date } | null = null;
  for (const locale of LOCALES) {
    for (const result of locale.strict.parse(text, { instant: new Date(), timezone: 0 })) {
      const { start } = result;
      if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
      if (!best || result.text.length > best.length) best = { length: result.text.length, date: start.date() };
    }
  }
  return best && !Number.isNaN(best.date.getTime()) ? best.date : null;
}
