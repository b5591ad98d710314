/** RFC 5322's recommended line length, and what mail programs without reflowing show unbroken. */
export const TEXT_LINE_WIDTH = 78;

/** RFC 3676's signature delimiter, trailing space included: mail programs dim or fold what follows it. */
export const SIGNATURE_DELIMITER = '-- ';

const length = (value: string) => Array.from(value).length;

/**
 * Wraps a plain-text mail at word boundaries. A word longer than the line (a URL, almost always)
 * goes on a line of its own, whole: a link cut in two is a link that no longer works. Lines are
 * measured in characters, not UTF-16 units, and lines already short enough are left exactly as
 * they are, so the signature delimiter keeps its space.
 */
export function wrapText(text: string, width = TEXT_LINE_WIDTH): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  if (length(line) <= width) return [line];
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(/ +/).filter(Boolean)) {
    if (!current) current = word;
    else if (length(current) + 1 + length(word) <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}
