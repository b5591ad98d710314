/** A text cut at its placeholders: `parts[0]`, then placeholder `slots[0]`, then `parts[1]`... */
export interface PlaceholderSplit {
  parts: string[];
  /** Indexes into the `placeholders` the text was split on. */
  slots: number[];
}

/**
 * Cuts a rendered text at its per-subscriber placeholders, once per digest, so that filling it for a
 * subscriber is only joining strings (no regex, no template) however many subscribers there are.
 */
export function splitAtPlaceholders(source: string, placeholders: readonly string[]): PlaceholderSplit {
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (;;) {
    let at = -1;
    let found = -1;
    placeholders.forEach((placeholder, i) => {
      const index = source.indexOf(placeholder, from);
      if (index !== -1 && (at === -1 || index < at)) [at, found] = [index, i];
    });
    if (found === -1) break;
    parts.push(source.slice(from, at));
    slots.push(found);
    from = at + placeholders[found].length;
  }
  parts.push(source.slice(from));
  return { parts, slots };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Character by character: most values (URLs with a base64url token) need nothing and are returned as they are. */
export function escapeHtml(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i++) {
    const entity = ENTITIES[value[i]];
    if (entity === undefined) continue;
    out += value.slice(last, i) + entity;
    last = i + 1;
  }
  return last === 0 ? value : out + value.slice(last);
}
