import { parseFeedDate } from './feed-date.js';

describe(parseFeedDate.name, () => {
  const sut = parseFeedDate;

  it('reads RFC 822 (RSS) dates with offsets and named zones', () => {
    expect(sut('Mon, 03 Nov 2025 14:00:00 +0000')).toEqual(new Date('2025-11-03T14:00:00Z'));
    expect(sut('Tue, 14 Oct 2025 09:00:00 -0400')).toEqual(new Date('2025-10-14T13:00:00Z'));
    expect(sut('Tue, 14 Oct 2025 09:00:00 EDT')).toEqual(new Date('2025-10-14T13:00:00Z'));
  });

  it('reads ISO 8601 (Atom, RDF, JSON Feed) dates, a date without a zone as UTC', () => {
    expect(sut('2025-11-01T09:30:00-04:00')).toEqual(new Date('2025-11-01T13:30:00Z'));
    expect(sut('2025-11-01T09:30:00')).toEqual(new Date('2025-11-01T09:30:00Z'));
  });

  it('answers null for nothing or nonsense', () => {
    expect(sut(undefined)).toBeNull();
    expect(sut('')).toBeNull();
    expect(sut('sometime soon')).toBeNull();
  });
});
