import { createHash, createVerify } from 'node:crypto';

/**
 * Verifies a relaxed/relaxed rsa-sha256 DKIM signature (RFC 6376) against a known public key:
 * enough to prove in a test that what we send is signed, and over which headers.
 */
export function verifyDkim(
  raw: Buffer,
  publicKeyPem: string,
): { valid: boolean; bodyHashMatches: boolean; tags: Record<string, string> } {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const fields = text
    .slice(0, split)
    .split(/\r\n(?![ \t])/)
    .map((field) => ({ name: field.slice(0, field.indexOf(':')).trim().toLowerCase(), field }));
  const signature = fields.find((f) => f.name === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature header');
  const tags = Object.fromEntries(
    relaxedValue(signature.field)
      .split(';')
      .map((tag) => tag.trim())
      .filter(Boolean)
      .map((tag) => [tag.slice(0, tag.indexOf('=')).trim(), tag.slice(tag.indexOf('=') + 1).replace(/\s+/g, '')]),
  );
  if (tags.a !== 'rsa-sha256' || tags.c !== 'relaxed/relaxed') throw new Error(`unexpected a=${tags.a} c=${tags.c}`);

  const body = text
    .slice(split + 4)
    .split('\r\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (body.length && body[body.length - 1] === '') body.pop();
  const canonicalBody = body.length ? body.join('\r\n') + '\r\n' : '';
  const bodyHashMatches = createHash('sha256').update(canonicalBody, 'latin1').digest('base64') === tags.bh;

  // Each name in h= takes the last not-yet-used field of that name.
  const used = new Set<number>();
  const signedHeaders = tags.h.split(':').map((name) => {
    const index = fields
      .map((f, i) => [f, i] as const)
      .reverse()
      .find(([f, i]) => f.name === name.toLowerCase() && !used.has(i) && f !== signature)?.[1];
    if (index === undefined) return '';
    used.add(index);
    return `${fields[index].name}:${relaxedValue(fields[index].field)}\r\n`;
  });
  const unsignedSelf = `dkim-signature:${relaxedValue(signature.field)
    .replace(/b=[^;]*$/, 'b=')
    .replace(/b=[^;]*;/, 'b=;')}`;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signedHeaders.join('') + unsignedSelf, 'latin1');
  return { valid: verifier.verify(publicKeyPem, tags.b, 'base64'), bodyHashMatches, tags };
}

function relaxedValue(field: string): string {
  return field
    .slice(field.indexOf(':') + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
