/** One recipient domain's send rate, shared by every worker. */
export interface DomainRate {
  domain: string;
  count: number;
  periodMs: number;
  /** The pace: milliseconds between two sends to the domain. */
  intervalMs: number;
}

const UNITS: Record<string, number> = {
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  day: 86_400_000,
};

const ENTRY = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)=(\d{1,7})\/([a-z]+)$/;

/**
 * `gmail.com=600/min, yahoo.com=300/min` (units s, min, h, day) into rates, or the problem with
 * the first entry that does not read. Domains are compared lower-cased; each may appear once.
 */
export function parseDomainRates(value: string | undefined): { rates: DomainRate[] } | { problem: string } {
  const rates: DomainRate[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim().toLowerCase().replace(/\s+/g, '');
    if (!entry) continue;
    const match = ENTRY.exec(entry);
    const periodMs = match ? UNITS[match[6]] : undefined;
    if (!match || !periodMs)
      return { problem: `"${raw.trim()}" is not domain=count/unit (like gmail.com=600/min; units s, min, h, day)` };
    const count = Number(match[5]);
    if (count < 1) return { problem: `"${raw.trim()}": the count must be at least 1` };
    if (rates.some((rate) => rate.domain === match[1])) return { problem: `${match[1]} is listed twice` };
    rates.push({ domain: match[1], count, periodMs, intervalMs: periodMs / count });
  }
  return { rates };
}
