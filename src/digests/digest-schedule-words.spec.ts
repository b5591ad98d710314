import { scheduleInWords } from './digest-schedule-words.js';

describe(scheduleInWords.name, () => {
  // A Wednesday in New York, 10:00 local.
  const now = new Date('2026-03-04T15:00:00Z');

  it('says a weekly schedule as the weekday and time in the configured zone, and the next send', () => {
    expect(scheduleInWords('0 8 * * 1', 'America/New_York', now)).toEqual({
      every: 'every Monday around 08:00 (America/New_York)',
      next: 'Monday, March 9 around 08:00 (America/New_York)',
    });
  });

  it('stays weekly across a change to daylight saving time (March 8, 2026 in New York)', () => {
    const before = new Date('2026-03-01T12:00:00Z');
    expect(scheduleInWords('30 7 * * 1', 'America/New_York', before).every).toBe(
      'every Monday around 07:30 (America/New_York)',
    );
  });

  it('reads the time in the zone of the schedule, not the server', () => {
    expect(scheduleInWords('0 18 * * 5', 'Europe/Berlin', now)).toEqual({
      every: 'every Friday around 18:00 (Europe/Berlin)',
      next: 'Friday, March 6 around 18:00 (Europe/Berlin)',
    });
  });

  it('describes any other schedule in words, still with its zone', () => {
    expect(scheduleInWords('0 8 * * 1,4', 'America/New_York', now)).toEqual({
      every: 'at 08:00, only on Monday and Thursday (America/New_York)',
      next: 'Thursday, March 5 around 08:00 (America/New_York)',
    });
    expect(scheduleInWords('0 9 1 * *', 'UTC', now).every).toBe('at 09:00, on day 1 of the month (UTC)');
  });
});
