/** One block of `Name: value` fields, names lower-cased, the first value of a repeated name kept. */
export type FieldGroup = Map<string, string>;

/**
 * The field groups of a message/delivery-status or message/feedback-report body (RFC 3464 §2.1,
 * RFC 5965 §3), or of a header block: `Name: value` lines, folded lines joined, groups separated
 * by blank lines.
 */
export function parseFieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let group: FieldGroup = new Map();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      if (group.size) groups.push(group);
      group = new Map();
      last = null;
    } else if (/^[ \t]/.test(line) && last) {
      group.set(last, `${group.get(last)} ${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon < 1) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      if (group.has(last)) last = null;
      else group.set(last, line.slice(colon + 1).trim());
    }
  }
  if (group.size) groups.push(group);
  return groups;
}

/** `rfc822; user@example.com` -> `user@example.com`: the value of a typed field without its type. */
export function untyped(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  return (semicolon < 0 ? value : value.slice(semicolon + 1)).trim() || undefined;
}

/** The header block of a returned message (message/rfc822) or returned headers (text/rfc822-headers). */
export function headerBlock(text: string): FieldGroup {
  return parseFieldGroups(text.split(/\r?\n\r?\n/, 1)[0])[0] ?? new Map();
}
