/* Environment values are strings: these turn them into what the schema checks. */
// Anything but a string (a default) passes through unchanged.
export const toBool = ({ value }: { value: unknown }) =>
  typeof value !== 'string'
    ? value
    : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase())
      ? true
      : ['0', 'false', 'no', 'off'].includes(value.toLowerCase())
        ? false
        : value;
export const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
export const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
export const httpUrl = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** A comma-separated list, each entry trimmed, empty entries dropped. */
export function csv(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}
