/**
 * The encoding of a body: a byte order mark first (it cannot lie, and UTF-16 is unreadable
 * without it or a header), then the charset of Content-Type, then the XML declaration, else UTF-8
 * (what JSON and XML default to). This is the order of the WHATWG encoding sniffing rules.
 */
export function decodeFeedBody(bytes: Uint8Array, contentType: string): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const label =
    byteOrderMark(bytes) ??
    /charset="?([\w.:-]+)/i.exec(contentType)?.[1] ??
    /^<\?xml[^>]*encoding=["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function byteOrderMark(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}
