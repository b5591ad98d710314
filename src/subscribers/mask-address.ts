/**
 * An address shown to whoever holds a link to it, masked so that a forwarded or leaked link does
 * not give the address away whole: the first letter of the mailbox and of the domain, and the
 * top-level domain. `jane.doe@example.com` → `j•••@e•••.com`. Enough for its owner to recognise.
 */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email.slice(0, 1)}•••@${domain.slice(0, 1)}•••${tld}`;
}
