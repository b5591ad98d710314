import { CronTime } from 'cron';
import { DateTime } from 'luxon';

/** [start, end): the posts a digest covers. */
export interface DigestPeriod {
  start: Date;
  end: Date;
}

/**
 * A cron timer may fire a little before its second; without slack, a tick at 07:59:59.990 would
 * find last week's time and the week would be lost. Thirty seconds is far below any sane digest
 * cadence and far above any timer jitter.
 */
const EARLY_TICK_SLACK_MS = 30_000;
const HOUR = 3_600_000;
/** Searched in growing windows so that an hourly cron costs a few steps and a yearly one still works. */
const LOOKBACKS_MS = [HOUR, 24 * HOUR, 8 * 24 * HOUR, 32 * 24 * HOUR, 367 * 24 * HOUR, 4 * 366 * 24 * HOUR];

/**
 * The seven local days ending at `end` in `timeZone`. Across a daylight-saving change the period
 * is still Monday 08:00 to Monday 08:00 on the wall clock, so it lasts 167 or 169 real hours.
 */
export function weekEndingAt(end: Date, timeZone: string): DigestPeriod {
  const local = DateTime.fromJSDate(end, { zone: timeZone });
  if (!local.isValid) throw new Error(`cannot place ${end.toISOString()} in time zone ${timeZone}`);
  return { start: local.minus({ weeks: 1 }).toJSDate(), end };
}

/** The latest time `cron` was due in `timeZone` at or before `now`. */
export function lastScheduledTime(cron: string, timeZone: string, now: Date): Date {
  const time = new CronTime(cron, timeZone);
  const limit = now.getTime() + EARLY_TICK_SLACK_MS;
  for (const lookback of LOOKBACKS_MS) {
    let last: DateTime | null = null;
    let next = time.getNextDateFrom(new Date(limit - lookback), timeZone);
    while (next.toMillis() <= limit) {
      last = next;
      next = time.getNextDateFrom(next.toJSDate(), timeZone);
    }
    if (last) return last.toJSDate();
  }
  throw new Error(`the cron expression "${cron}" was not due once in the last four years`);
}

/** The period of the digest due at `now`: the week ending at the last scheduled time. */
export function scheduledPeriod(cron: string, timeZone: string, now: Date): DigestPeriod {
  return weekEndingAt(lastScheduledTime(cron, timeZone, now), timeZone);
}

/** A stable name for a period, safe as a BullMQ job id (no colons): `digest-20260309T120000Z-20260302T130000Z`. */
export function periodJobId(period: DigestPeriod): string {
  const compact = (date: Date) =>
    date
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  return `digest-${compact(period.end)}-${compact(period.start)}`;
}
