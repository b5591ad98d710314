/** Providers that ignore dots in the local part: a.b@gmail.com and ab@gmail.com are one mailbox. */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The mailbox an already normalised address delivers to, for counting caps: without a `+tag`,
 * and for Gmail without dots. Only for limits; the subscriber keeps the address as typed.
 */
export function mailboxKey(normalisedEmail: string): string {
  const at = normalisedEmail.lastIndexOf('@');
  const domain = normalisedEmail.slice(at + 1);
  let local = normalisedEmail.slice(0, at);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  const dotless = DOTLESS_DOMAINS[domain];
  return dotless ? `${local.replace(/\./g, '')}@${dotless}` : `${local}@${domain}`;
}

/** The domain an address is delivered to, for the per-domain cap. */
export function mailboxDomain(normalisedEmail: string): string {
  return mailboxKey(normalisedEmail).split('@')[1];
}
