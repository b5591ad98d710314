import { createHash, createPrivateKey, createSign, type KeyObject } from 'node:crypto';

/** The headers our DKIM signature covers, whichever transport sends: what receivers check. */
export const DKIM_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'Feedback-ID',
];

/**
 * Signed once more than they occur (RFC 6376 §5.4.2, "oversigning"): the extra entry in h= stands
 * for a copy that does not exist, so a copy added on the way (a second From or List-Unsubscribe a
 * forwarder or attacker prepends) breaks the signature instead of riding on it.
 */
export const OVERSIGNED_HEADERS = ['From', 'Subject', 'List-Unsubscribe', 'List-Unsubscribe-Post'];

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

interface HeaderField {
  name: string;
  field: string;
}

/**
 * rsa-sha256, relaxed/relaxed DKIM signing of a message built to the byte (CRLF line ends).
 * Our own because neither nodemailer's signer nor mailauth's can oversign: both list a header
 * name in h= only as often as it occurs (nodemailer even collapses repeats into one).
 */
export class DkimSigner {
  private readonly key: KeyObject;

  constructor(private readonly options: DkimOptions) {
    this.key = createPrivateKey(options.privateKey);
  }

  /** The message with a DKIM-Signature header put first. */
  sign(raw: Buffer): Buffer {
    const split = raw.indexOf('\r\n\r\n');
    const head = split < 0 ? raw.toString('latin1') : raw.subarray(0, split).toString('latin1');
    const body = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
    const fields = parseFields(head);

    const names: string[] = [];
    for (const name of DKIM_HEADERS) {
      const count = fields.filter((f) => f.name === name.toLowerCase()).length;
      const times = count + (OVERSIGNED_HEADERS.includes(name) ? 1 : 0);
      for (let i = 0; i < times; i++) names.push(name);
    }

    const tags = [
      'v=1',
      'a=rsa-sha256',
      'c=relaxed/relaxed',
      `d=${this.options.domainName}`,
      `s=${this.options.keySelector}`,
      `t=${Math.floor(Date.now() / 1000)}`,
      `bh=${bodyHash(body)}`,
      `h=${names.join(':')}`,
      'b=',
    ];
    const unsigned = fold(`DKIM-Signature: ${tags.join('; ')}`);
    const signer = createSign('RSA-SHA256');
    signer.update(canonicalHeaders(fields, names), 'latin1');
    signer.update(`dkim-signature:${relaxedValue(unsigned)}`, 'latin1');
    const signature = signer.sign(this.key, 'base64');
    const header = `${unsigned}${signature.replace(/(.{72})(?=.)/g, '$1\r\n ')}\r\n`;
    return Buffer.concat([Buffer.from(header, 'latin1'), raw]);
  }
}

function parseFields(head: string): HeaderField[] {
  return head
    .split(/\r\n(?![ \t])/)
    .filter((field) => field.includes(':'))
    .map((field) => ({ name: field.slice(0, field.indexOf(':')).trim().toLowerCase(), field }));
}

/** Each name in h= takes the bottom-most field of that name not yet taken; none left adds nothing. */
function canonicalHeaders(fields: HeaderField[], names: string[]): string {
  const taken = new Set<number>();
  let out = '';
  for (const name of names) {
    const lower = name.toLowerCase();
    for (let i = fields.length - 1; i >= 0; i--) {
      if (fields[i].name !== lower || taken.has(i)) continue;
      taken.add(i);
      out += `${lower}:${relaxedValue(fields[i].field)}\r\n`;
      break;
    }
  }
  return out;
}

function relaxedValue(field: string): string {
  return field
    .slice(field.indexOf(':') + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Relaxed body (RFC 6376 §3.4.4): runs of spaces to one, none at line ends, no empty lines at the end. */
function bodyHash(body: Buffer): string {
  const text = body
    .toString('latin1')
    .replace(/[ \t]+\r\n/g, '\r\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/[ \t]+$/, '')
    .replace(/(\r\n)+$/, '');
  return createHash('sha256')
    .update(text ? `${text}\r\n` : '', 'latin1')
    .digest('base64');
}

/** Folds the tag list at the spaces after semicolons, keeping lines under 78 characters. */
function fold(header: string): string {
  const parts = header.split('; ');
  let line = '';
  let out = '';
  for (const [index, part] of parts.entries()) {
    const piece = index < parts.length - 1 ? `${part};` : part;
    if (line && line.length + piece.length + 1 > 76) {
      out += `${line}\r\n`;
      line = ` ${piece}`;
    } else line = line ? `${line} ${piece}` : piece;
  }
  return out + line;
}
