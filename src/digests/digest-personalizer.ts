import { DIGEST_PLACEHOLDERS, type DigestPlaceholderName, type ReaderValues } from './digest-placeholders.js';

/** One part (HTML or text) cut at its placeholders: `parts[i]`, then slot `slots[i]`, then `parts[i + 1]`... */
interface SplitPart {
  parts: string[];
  slots: DigestPlaceholderName[];
}

export interface PersonalizedDigest {
  html: string;
  text: string;
}

const NAMES = Object.keys(DIGEST_PLACEHOLDERS) as DigestPlaceholderName[];

/**
 * Fills a rendered digest for one reader. Built once per digest (`new DigestPersonalizer(html,
 * text)`): the parts are split at the placeholders then, so each `forReader` call only joins
 * strings (no regex, no template, no parsing), which keeps tens of thousands of readers cheap.
 * Values go into the HTML part HTML-escaped and into the text part as they are.
 */
export class DigestPersonalizer {
  private readonly html: SplitPart;
  private readonly text: SplitPart;

  constructor(html: string, text: string) {
    this.html = split(html);
    this.text = split(text);
  }

  /** How many times each part holds a placeholder: the pre-release check wants at least one unsubscribe link in each. */
  count(name: DigestPlaceholderName): { html: number; text: number } {
    return { html: this.html.slots.filter((slot) => slot === name).length, text: this.text.slots.filter((slot) => slot === name).length };
  }

  forReader(values: ReaderValues): PersonalizedDigest {
    const escaped = {} as ReaderValues;
    for (const name of NAMES) escaped[name] = escapeHtml(values[name]);
    return { html: join(this.html, escaped), text: join(this.text, values) };
  }
}

function split(source: string): SplitPart {
  const parts: string[] = [];
  const slots: DigestPlaceholderName[] = [];
  let from = 0;
  for (;;) {
    let at = -1;
    let found: DigestPlaceholderName | undefined;
    for (const name of NAMES) {
      const index = source.indexOf(DIGEST_PLACEHOLDERS[name], from);
      if (index !== -1 && (at === -1 || index < at)) [at, found] = [index, name];
    }
    if (!found) break;
    parts.push(source.slice(from, at));
    slots.push(found);
    from = at + DIGEST_PLACEHOLDERS[found].length;
  }
  parts.push(source.slice(from));
  return { parts, slots };
}

function join(split: SplitPart, values: ReaderValues): string {
  let out = split.parts[0];
  for (let i = 0; i < split.slots.length; i++) out += values[split.slots[i]] + split.parts[i + 1];
  return out;
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
