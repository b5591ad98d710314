/** The result of checking an address typed by a subscriber: the normalised address, or why it is refused. */
export type AddressCheck = { ok: true; email: string } | { ok: false; problem: string };

const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks and normalises an address for a mailing list. Stricter than RFC 5321 on purpose: it
 * refuses what real subscribers never type but abusers and typos do (quoted local parts, IP-literal
 * domains, non-ASCII look-alikes, line breaks that would smuggle headers), with a reason a
 * person can act on.
 */
export function checkEmailAddress(input: unknown): AddressCheck {
  if (typeof input !== 'string') return fail('must be a string');
  if (input.length > 320) return fail('is too long (at most 254 characters)');
  if (CONTROL.test(input)) return fail('must not contain line breaks or control characters');
  const value = input.trim();
  if (!value) return fail('is required');
  if (value.length > 254) return fail('is too long (at most 254 characters)');
  if (/[^\x21-\x7e]/.test(value)) {
    return /\s/.test(value)
      ? fail('must not contain spaces')
      : fail('must use plain ASCII letters (international or look-alike characters are not accepted)');
  }
  const at = value.lastIndexOf('@');
  if (at === -1) return fail('must contain an @');
  if (value.indexOf('@') !== at) return fail('must contain exactly one @');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (!local) return fail('is missing the part before the @');
  if (!domain) return fail('is missing the domain after the @');
  if (local.startsWith('"')) return fail('must not use a quoted local part');
  if (local.length > 64) return fail('has a part before the @ longer than 64 characters');
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail('must not start or end with a dot, or have two dots in a row, before the @');
  }
  if (!local.split('.').every((atom) => LOCAL_ATOM.test(atom)))
    return fail('has a character that is not allowed before the @');
  if (domain.startsWith('[')) return fail('must use a domain name, not an IP address');
  const labels = domain.split('.');
  if (labels.length < 2) return fail('must have a domain with a dot, like example.com');
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return fail('has a domain that is not a valid host name');
  if (!TOP_LEVEL.test(labels[labels.length - 1]))
    return fail('has a domain that does not end in a valid top-level domain');
  return { ok: true, email: `${local}@${domain}`.toLowerCase() };
}

function fail(problem: string): AddressCheck {
  return { ok: false, problem };
}
