import { CronTime } from 'cron';
import cronstrue from 'cronstrue';
import { DateTime } from 'luxon';

/** When the digest comes, in a reader's words. */
export interface ScheduleWords {
  /** "every Monday around 08:00 (America/New_York)" */
  every: string;
  /** The next send: "Monday, December 7 around 08:00 (America/New_York)" */
  next: string;
}

/** Enough occurrences to tell a weekly schedule from anything else. */
const LOOKAHEAD = 5;

/**
 * DIGEST_CRON and DIGEST_TIMEZONE as a reader would say them. A weekly schedule (the usual one)
 * reads "every Monday around 08:00", from the times the cron actually fires, so daylight saving
 * and the cron dialect need no guessing; anything else is described by cronstrue. "Around",
 * because the send starts at that time and takes a while (and waits for approval when
 * DIGEST_APPROVAL=required).
 */
export function scheduleInWords(cron: string, timeZone: string, now: Date = new Date()): ScheduleWords {
  const time = new CronTime(cron, timeZone);
  const upcoming: DateTime[] = [];
  let from = now;
  for (let i = 0; i < LOOKAHEAD; i++) {
    const next = time.getNextDateFrom(from, timeZone);
    upcoming.push(next);
    from = next.toJSDate();
  }
  const zone = `(${timeZone})`;
  const at = (date: DateTime) => `around ${date.toFormat('HH:mm')} ${zone}`;
  const weekly = upcoming.every((date, i) => i === 0 || sameWallClockWeekLater(upcoming[i - 1], date));
  const [first] = upcoming;
  return {
    every: weekly ? `every ${first.toFormat('cccc')} ${at(first)}` : `${described(cron)} ${zone}`,
    next: `${first.toFormat('cccc, MMMM d')} ${at(first)}`,
  };
}

/** Across a daylight-saving change a week is 167 or 169 hours, but the same weekday and wall-clock time. */
function sameWallClockWeekLater(before: DateTime, after: DateTime): boolean {
  const expected = before.plus({ weeks: 1 });
  return after.toFormat('yyyy-MM-dd HH:mm') === expected.toFormat('yyyy-MM-dd HH:mm');
}

function described(cron: string): string {
  try {
    const words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
    return words.charAt(0).toLowerCase() + words.slice(1);
  } catch {
    return `on the schedule "${cron}"`;
  }
}
