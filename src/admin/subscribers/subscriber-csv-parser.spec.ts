import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { csvFile, csvRows, runs } from '../../../test/support/arbitraries.js';
import { checkEmailAddress } from '../../subscribers/email-address.js';
import { parseSubscriberCsv } from './subscriber-csv-parser.js';

const csv = (text: string) => Buffer.from(text, 'utf8');
const refusal = (text: string | Buffer) => {
  try {
    parseSubscriberCsv(typeof text === 'string' ? csv(text) : text);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).message;
  }
  throw new Error('expected the file to be refused');
};

describe(parseSubscriberCsv.name, () => {
  it('reads email and name in any column order, normalising addresses and ignoring other columns', () => {
    const sut = parseSubscriberCsv(
      csv('\uFEFFName,status,Email\r\n  Ann Lee ,confirmed, Ann@Example.COM \r\n\r\n,,bob@example.com\r\n'),
    );
    expect(sut.rows).toEqual([
      { line: 2, email: 'ann@example.com', name: 'Ann Lee' },
      { line: 4, email: 'bob@example.com', name: null },
    ]);
    expect(sut.invalidCount).toBe(0);
  });

  it('counts an address repeated in the file once, whatever its case', () => {
    const sut = parseSubscriberCsv(csv('email\na@example.com\nA@example.com\nb@example.com\na@EXAMPLE.com\n'));
    expect(sut.rows.map((row) => row.email)).toEqual(['a@example.com', 'b@example.com']);
    expect(sut.duplicates).toBe(2);
  });

  it('reports invalid rows with their line numbers and reasons, and keeps the valid ones', () => {
    const sut = parseSubscriberCsv(
      csv('email,name\nnot-an-address,X\nok@example.com,Fine\nc@example.com,see http://spam.example\n,Nobody\n'),
    );
    expect(sut.rows.map((row) => row.email)).toEqual(['ok@example.com']);
    expect(sut.invalid).toEqual([
      { line: 2, reason: 'email must contain an @' },
      { line: 4, reason: 'name must not contain links or angle brackets' },
      { line: 5, reason: 'email is required' },
    ]);
  });

  it('reports at most 100 invalid rows but counts them all', () => {
    const sut = parseSubscriberCsv(csv(['email', ...Array.from({ length: 150 }, (_, i) => `bad${i}`)].join('\n')));
    expect(sut.invalidCount).toBe(150);
    expect(sut.invalid).toHaveLength(100);
    expect(sut.invalid[99].line).toBe(101);
  });

  it('gives a spreadsheet-defused name back as it was exported', () => {
    expect(parseSubscriberCsv(csv(`email,name\na@example.com,'=Ann\n`)).rows[0].name).toBe('=Ann');
  });

  it('refuses a file that cannot be read as a whole, saying why', () => {
    expect(refusal('')).toMatch(/empty/);
    expect(refusal('\n\n')).toMatch(/empty/);
    expect(refusal('email,name\n')).toMatch(/header but no subscribers/);
    expect(refusal('name\nAnn\n')).toMatch(/no email column/);
    expect(refusal('email,Email\na@example.com,b@example.com\n')).toMatch(/twice/);
    expect(refusal('email,name\na@example.com,"Ann\nb@example.com,Bob\n')).toMatch(
      /malformed: a quoted field is never closed/,
    );
    expect(refusal('email,name\na@example.com,"Ann"x\n')).toMatch(/malformed/);
    expect(refusal(Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x0a]))).toMatch(/not UTF-8/);
  });

  describe('properties', () => {
    it('reads any bytes or refuses them with a 400, never anything else', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            csvRows.map((rows) => csv(csvFile(rows))),
          ),
          (bytes) => {
            try {
              parseSubscriberCsv(Buffer.from(bytes));
            } catch (error) {
              expect(error).toBeInstanceOf(BadRequestException);
            }
          },
        ),
        runs(200),
      );
    });

    it('takes each row once, reports it with its line number, or counts it as a repeat: one of the three, never two', () => {
      fc.assert(
        fc.property(csvRows, (rows) => {
          const sut = parseSubscriberCsv(csv(csvFile(rows)));
          const taken = sut.rows.map((row) => row.line);
          const reported = sut.invalid.map((row) => row.line);
          expect(taken.length + sut.invalidCount + sut.duplicates).toBe(rows.length);
          expect(new Set([...taken, ...reported]).size).toBe(taken.length + reported.length);
          expect(reported).toHaveLength(Math.min(sut.invalidCount, 100));
          // Line n holds data row n - 2 (line 1 is the header): each taken row is that line's address.
          for (const row of sut.rows)
            expect(checkEmailAddress(rows[row.line - 2][0])).toEqual({ ok: true, email: row.email });
          for (const { line } of sut.invalid) expect(line).toBeGreaterThanOrEqual(2);
          for (const { line } of sut.invalid) expect(line).toBeLessThanOrEqual(rows.length + 1);
        }),
        runs(200),
      );
    });
  });
});
