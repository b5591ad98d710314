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

  it('reads month and day names in the languages blogs write them in', () => {
    expect(sut('Seg, 24 Set 2018 19:42:40 -0300')).toEqual(new Date('2018-09-24T22:42:40Z'));
    expect(sut('Ter, 04 Nov 2025 10:00:00 -0300')).toEqual(new Date('2025-11-04T13:00:00Z'));
    expect(sut('Mié, 05 Nov 2025 08:00:00 +0100')).toEqual(new Date('2025-11-05T07:00:00Z'));
    expect(sut('lun., 03 nov. 2025 19:42:40 +0100')).toEqual(new Date('2025-11-03T18:42:40Z'));
    expect(sut('Di, 25 Sept 2018 10:00:00 +0200')).toEqual(new Date('2018-09-25T08:00:00Z'));
    expect(sut('giovedì 27 settembre 2018 08:00')).toEqual(new Date('2018-09-27T08:00:00Z'));
  });

  it('reads zone abbreviations beyond the US ones RFC 822 names', () => {
    expect(sut('Mon, 24 Sep 2018 19:42:40 CEST')).toEqual(new Date('2018-09-24T17:42:40Z'));
    expect(sut('Tue, 04 Nov 2025 10:00:00 CET')).toEqual(new Date('2025-11-04T09:00:00Z'));
    expect(sut('Tue, 25 Sep 2018 10:00:00 AEST')).toEqual(new Date('2018-09-25T00:00:00Z'));
    expect(sut('Ter, 25 Set 2018 10:00:00 BRT')).toEqual(new Date('2018-09-25T13:00:00Z'));
    expect(sut('Di, 25 Sept 2018 10:00:00 MESZ')).toEqual(new Date('2018-09-25T08:00:00Z'));
  });

  it('answers null for nothing, nonsense, or a time without a date', () => {
    expect(sut(undefined)).toBeNull();
    expect(sut('')).toBeNull();
    expect(sut('sometime soon')).toBeNull();
    expect(sut('next tuesday')).toBeNull();
    expect(sut('19:42:40 -0300')).toBeNull();
  });
});
