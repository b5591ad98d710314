/** The result of checking the optional name a subscriber typed. */
export type NameCheck = { ok: true; name: string | null } | { ok: false; problem: string };

/**
 * A name goes into the greeting of mail sent to an address someone else may own, so it must not
 * carry line breaks (header injection) or links (spam sent through our confirmation mail).
 */
export function checkSubscriberName(input: unknown): NameCheck {
  if (input === undefined || input === null) return { ok: true, name: null };
  if (typeof input !== 'string') return { ok: false, problem: 'must be a string' };
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(input)) {
    return { ok: false, problem: 'must not contain line breaks or control characters' };
  }
  const name = input.trim().replace(/\s+/g, ' ');
  if (name.length > 100) return { ok: false, problem: 'is too long (at most 100 characters)' };
  if (/https?:|www\.|:\/\/|[<>]/i.test(name)) return { ok: false, problem: 'must not contain links or angle brackets' };
  return { ok: true, name: name || null };
}
