/**
 * Query strings arrive as text: a whole number in digits becomes a number, so that `@IsInt()`
 * checks it; anything else passes through unchanged, for the validator to name as wrong.
 */
export const toQueryInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** An empty query value (a form's "any" choice, `?status=`) means the filter is not given. */
export const emptyAsAbsent = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
