/** An address with the name shown beside it, when there is one (`Name <address>`). */
export interface Mailbox {
  address: string;
  name?: string;
}

const ADDRESS = String.raw`[^\s<>@",;()\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+`;

/**
 * One address, bare or as `Name <address>` (a name with a comma must be quoted). No control
 * characters, so no value can add a header line; one address, never a list.
 */
export const MAILBOX = new RegExp(
  String.raw`^(?:(?:"([^"\\<>\u0000-\u001f\u007f]*)"|([^"<>,\u0000-\u001f\u007f]*?))\s*<(${ADDRESS})>|(${ADDRESS}))$`,
);

/** Reads a value that matched `MAILBOX`; the name is trimmed and left out when empty. */
export function parseMailbox(value: string): Mailbox {
  const match = MAILBOX.exec(value.trim());
  if (!match) throw new Error('not a mailbox');
  const name = (match[1] ?? match[2])?.trim();
  return { address: match[3] ?? match[4], ...(name ? { name } : {}) };
}
