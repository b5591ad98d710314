import { parseDomainRates } from './domain-rates.js';

describe(parseDomainRates.name, () => {
  it('reads domain=count/unit pairs into the pause between two sends', () => {
    expect(parseDomainRates(' Gmail.com=600/min, yahoo.com = 300/minute,example.org=2/s ,slow.example=30/h,')).toEqual({
      rates: [
        { domain: 'gmail.com', count: 600, periodMs: 60_000, intervalMs: 100 },
        { domain: 'yahoo.com', count: 300, periodMs: 60_000, intervalMs: 200 },
        { domain: 'example.org', count: 2, periodMs: 1_000, intervalMs: 500 },
        { domain: 'slow.example', count: 30, periodMs: 3_600_000, intervalMs: 120_000 },
      ],
    });
  });

  it('paces nothing when unset or empty', () => {
    expect(parseDomainRates(undefined)).toEqual({ rates: [] });
    expect(parseDomainRates(' , ')).toEqual({ rates: [] });
  });

  it('names the entry it cannot read', () => {
    expect(parseDomainRates('gmail.com=600/fortnight')).toEqual({
      problem: '"gmail.com=600/fortnight" is not domain=count/unit (like gmail.com=600/min; units s, min, h, day)',
    });
    expect(parseDomainRates('gmail.com:600/min')).toMatchObject({
      problem: expect.stringMatching(/^"gmail.com:600\/min"/),
    });
    expect(parseDomainRates('localhost=5/s')).toMatchObject({ problem: expect.stringMatching(/^"localhost=5\/s"/) });
    expect(parseDomainRates('gmail.com=0/min')).toEqual({ problem: '"gmail.com=0/min": the count must be at least 1' });
    expect(parseDomainRates('a.com=1/s,A.com=2/s')).toEqual({ problem: 'a.com is listed twice' });
  });
});
