import { BadRequestException } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse/sync';
import { checkEmailAddress } from '../../subscribers/email-address.js';
import { checkSubscriberName } from '../../subscribers/subscriber-name.js';

export const MAX_REPORTED_INVALID = 100;

export interface ImportRow {
  line: number;
  email: string;
  name: string | null;
}

export interface InvalidRow {
  line: number;
  reason: string;
}

/** A whole file read and checked, before anything is written. */
export interface ParsedSubscriberCsv {
  rows: ImportRow[];
  /** Later rows with an address already seen in the file: they count once. */
  duplicates: number;
  invalidCount: number;
  /** The first MAX_REPORTED_INVALID of them. */
  invalid: InvalidRow[];
}

/** Undoes the `'` our CSV export puts before a name a spreadsheet would run as a formula. */
const DEFUSED_FORMULA = /^'(?=[=+\-@\t\r])/;

/**
 * Reads `email[,name]` CSV (a header row naming the columns, any order, other columns ignored,
 * so an export can be imported back). A file that cannot be read as a whole is refused with a
 * 400; rows that are wrong one by one are reported with their line numbers and left out.
 */
export function parseSubscriberCsv(file: Buffer): ParsedSubscriberCsv {
  if (!file.length) throw bad('the CSV file is empty: send a header row (email[,name]) and one subscriber per line');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    throw bad('the CSV file is not UTF-8 text: save it as "CSV UTF-8" and upload it again');
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw bad(`the CSV file is malformed: ${csvProblem(error)}; nothing was imported`);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw bad('the CSV file is empty: send a header row (email[,name]) and one subscriber per line');
  const columns = header.record.map((name) => name.toLowerCase());
  const emailAt = columns.indexOf('email');
  const nameAt = columns.indexOf('name');
  if (emailAt === -1)
    throw bad(
      `the CSV file has no email column: its first line must be a header such as "email,name" (found "${header.record.join(',').slice(0, 100)}")`,
    );
  if (columns.lastIndexOf('email') !== emailAt || (nameAt !== -1 && columns.lastIndexOf('name') !== nameAt)) {
    throw bad('the CSV header names the email or name column twice');
  }
  if (!body.length) throw bad('the CSV file has a header but no subscribers');

  const result: ParsedSubscriberCsv = { rows: [], duplicates: 0, invalidCount: 0, invalid: [] };
  const seen = new Set<string>();
  const reject = (line: number, reason: string) => {
    result.invalidCount += 1;
    if (result.invalid.length < MAX_REPORTED_INVALID) result.invalid.push({ line, reason });
  };
  for (const { record, info } of body) {
    const address = checkEmailAddress(record[emailAt] ?? '');
    if (!address.ok) {
      reject(info.lines, `email ${address.problem}`);
      continue;
    }
    const name = checkSubscriberName(nameAt === -1 ? null : (record[nameAt] ?? '').replace(DEFUSED_FORMULA, ''));
    if (!name.ok) {
      reject(info.lines, `name ${name.problem}`);
      continue;
    }
    if (seen.has(address.email)) {
      result.duplicates += 1;
      continue;
    }
    seen.add(address.email);
    result.rows.push({ line: info.lines, email: address.email, name: name.name });
  }
  return result;
}

function bad(message: string): BadRequestException {
  return new BadRequestException(message);
}

/** csv-parse's messages name its options; say what is wrong with the file instead. */
function csvProblem(error: CsvError): string {
  const line = (error as CsvError & { lines?: number }).lines;
  const at = line ? ` on line ${line}` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted field is never closed${at}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `a closing quote is followed by other characters${at} (write a quote inside a quoted field as "")`;
    case 'INVALID_OPENING_QUOTE':
      return `a quote appears inside an unquoted field${at} (quote the whole field and double the inner quote)`;
    default:
      return `${error.message.replace(/^Invalid Record Length: /, '').slice(0, 200)}`;
  }
}
