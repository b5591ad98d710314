import { DateTime } from 'luxon';
import { lastScheduledTime, periodJobId, scheduledPeriod, weekEndingAt } from './digest-period.js';

const NEW_YORK = 'America/New_York';
const MONDAY_8AM = '0 8 * * 1';
const hours = (period: { start: Date; end: Date }) => (period.end.getTime() - period.start.getTime()) / 3_600_000;
const local = (date: Date) => DateTime.fromJSDate(date, { zone: NEW_YORK }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');

describe('digest period', () => {
  it('is the seven local days before Monday 08:00 in a plain week (168 hours)', () => {
    const sut = scheduledPeriod(MONDAY_8AM, NEW_YORK, new Date('2026-05-11T12:00:05Z'));
    expect(local(sut.end)).toBe('Mon 2026-05-11 08:00 EDT');
    expect(local(sut.start)).toBe('Mon 2026-05-04 08:00 EDT');
    expect(hours(sut)).toBe(168);
  });

  it('lasts 167 hours in the week clocks spring forward (March), still Monday 08:00 to Monday 08:00', () => {
    // DST began Sunday 8 March 2026 at 02:00 in New York.
    const sut = scheduledPeriod(MONDAY_8AM, NEW_YORK, new Date('2026-03-09T12:00:00.250Z'));
    expect(local(sut.start)).toBe('Mon 2026-03-02 08:00 EST');
    expect(local(sut.end)).toBe('Mon 2026-03-09 08:00 EDT');
    expect(sut.start.toISOString()).toBe('2026-03-02T13:00:00.000Z');
    expect(sut.end.toISOString()).toBe('2026-03-09T12:00:00.000Z');
    expect(hours(sut)).toBe(167);
  });

  it('lasts 169 hours in the week clocks fall back (November), still Monday 08:00 to Monday 08:00', () => {
    // DST ended Sunday 1 November 2026 at 02:00 in New York.
    const sut = scheduledPeriod(MONDAY_8AM, NEW_YORK, new Date('2026-11-02T13:00:01Z'));
    expect(local(sut.start)).toBe('Mon 2026-10-26 08:00 EDT');
    expect(local(sut.end)).toBe('Mon 2026-11-02 08:00 EST');
    expect(sut.start.toISOString()).toBe('2026-10-26T12:00:00.000Z');
    expect(sut.end.toISOString()).toBe('2026-11-02T13:00:00.000Z');
    expect(hours(sut)).toBe(169);
  });

  it('is the week after the change once the change is behind (168 hours again)', () => {
    const sut = scheduledPeriod(MONDAY_8AM, NEW_YORK, new Date('2026-11-09T13:00:00Z'));
    expect(local(sut.start)).toBe('Mon 2026-11-02 08:00 EST');
    expect(hours(sut)).toBe(168);
  });

  it('takes the time that was due, even when the tick runs late or a little early', () => {
    expect(lastScheduledTime(MONDAY_8AM, NEW_YORK, new Date('2026-03-09T15:42:00Z')).toISOString()).toBe(
      '2026-03-09T12:00:00.000Z',
    );
    expect(lastScheduledTime(MONDAY_8AM, NEW_YORK, new Date('2026-03-09T11:59:59.900Z')).toISOString()).toBe(
      '2026-03-09T12:00:00.000Z',
    );
    expect(lastScheduledTime(MONDAY_8AM, NEW_YORK, new Date('2026-03-09T11:58:00Z')).toISOString()).toBe(
      '2026-03-02T13:00:00.000Z',
    );
  });

  it('works for any cadence the cron expression allows', () => {
    expect(lastScheduledTime('*/5 * * * *', 'UTC', new Date('2026-01-01T10:07:00Z')).toISOString()).toBe(
      '2026-01-01T10:05:00.000Z',
    );
    expect(lastScheduledTime('0 9 1 * *', 'Europe/Berlin', new Date('2026-04-20T00:00:00Z')).toISOString()).toBe(
      '2026-04-01T07:00:00.000Z',
    );
  });

  it('gives the same job id for the same period on every instance, without colons', () => {
    const a = weekEndingAt(new Date('2026-03-09T12:00:00Z'), NEW_YORK);
    const b = scheduledPeriod(MONDAY_8AM, NEW_YORK, new Date('2026-03-09T12:00:03Z'));
    expect(periodJobId(a)).toBe(periodJobId(b));
    expect(periodJobId(a)).toBe('digest-20260309T120000Z-20260302T130000Z');
    expect(periodJobId(a)).not.toContain(':');
  });
});
