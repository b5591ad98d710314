import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';

/**
 * Property runs: a fixed number of cases from a fixed seed, so that the suite stays fast and a
 * failure comes back the same on every machine (fast-check prints the seed and path to replay it).
 */
export const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: 1_764_000_070 });

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);

/** An address as subscribers type them: plain ASCII, dots between atoms, a real-looking domain. */
export const typedAddress = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9_+-]{1,12}(?:\.[A-Za-z0-9_+-]{1,12}){0,2}$/),
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[a-z]{2,8}$/),
  )
  .map(([local, labels, top]) => `${local}@${[...labels, top].join('.')}`);

/** A string with `inserted` slipped in at some place. */
const withInsertion = (base: fc.Arbitrary<string>, inserted: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.nat(), inserted).map(([text, at, extra]) => {
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + extra + text.slice(cut);
  });

/** Near an address and far from one: typed and RFC addresses, each with a stray character or two, and anything at all. */
export const addressLike = fc.oneof(
  typedAddress,
  fc.emailAddress(),
  withInsertion(typedAddress, fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })),
  withInsertion(fc.emailAddress(), fc.constantFrom('@', '.', ' ', '"', '\n', '\u0000', '[', 'é', '\u200b')),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** One line's worth of text for a CSV cell: anything but a line break (rows are one line each). */
const cell = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((text) => text.replace(/[\r\n]/g, ''));

/** Data rows of an `email,name` import, addresses drawn from a small pool now and then so that some repeat. */
export const csvRows = fc
  .tuple(
    fc.array(typedAddress, { minLength: 1, maxLength: 3 }),
    fc.array(
      fc.tuple(cell(addressLike), cell(fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 30 })))),
      { minLength: 1, maxLength: 12 },
    ),
    fc.array(fc.nat(), { maxLength: 12 }),
  )
  .map(([pool, rows, repeats]) =>
    rows.map(([email, name], index) => [
      repeats[index] === undefined ? email : pool[repeats[index] % pool.length],
      name,
    ]),
  );

/** The rows as a file, quoted wherever a cell needs it. */
export const csvFile = (rows: string[][]) => stringify([['email', 'name'], ...rows]);
