import { Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser';
import { createHash } from 'node:crypto';
import { Readable, type Transform } from 'node:stream';

/** A leaf part of the message, decoded: report parts, returned headers, a returned message. */
export interface InboundPart {
  contentType: string;
  text: string;
}

/** One message that came back by mail, reduced to what the classifier reads. */
export interface InboundMail {
  /** What makes a second arrival of the same mail a replay: its Message-ID, else a hash of its bytes. */
  key: string;
  subject: string;
  /** Where it was delivered: the SMTP envelope's recipients, else Delivered-To, X-Original-To, To and Cc. */
  recipients: string[];
  /** `delivery-status` or `feedback-report` for a multipart/report (RFC 6522), lower-cased; else null. */
  reportType: string | null;
  parts: InboundPart[];
}

/**
 * Reads a message: mailparser for the message itself (its headers, decoded subject and
 * addresses), and mailsplit, the MIME splitter under mailparser, for the leaf parts. mailparser
 * alone folds an inline message/rfc822 (the usual form of a complaint report's returned message)
 * into the text and drops its headers, Message-ID included, which is what a report is matched by.
 */
export async function readInboundMail(raw: Buffer, envelopeRecipients: string[] = []): Promise<InboundMail> {
  const parsed = await simpleParser(raw, {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const contentType = parsed.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  const isReport = contentType?.value?.toLowerCase() === 'multipart/report';
  const headerRecipients = [
    ...addresses(parsed.headers.get('delivered-to')),
    ...addresses(parsed.headers.get('x-original-to')),
    ...addresses(parsed.to),
    ...addresses(parsed.cc),
  ];
  return {
    key: parsed.messageId?.trim() || `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    subject: parsed.subject ?? '',
    recipients: envelopeRecipients.length ? envelopeRecipients : headerRecipients,
    reportType: isReport ? (contentType?.params?.['report-type']?.toLowerCase() ?? null) : null,
    parts: await leafParts(raw),
  };
}

/** Addresses from a parsed header, whichever shape mailparser gave it (address object, list, or plain text). */
function addresses(value: HeaderValue | AddressObject | AddressObject[] | undefined): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value.flatMap((item) => addresses(item as HeaderValue));
  if (typeof value === 'string')
    return value
      .split(/[\s,]+/)
      .map((part) => part.replace(/^<|>$/g, ''))
      .filter(Boolean);
  if (typeof value === 'object' && 'value' in value && Array.isArray(value.value))
    return value.value.flatMap((entry) => [
      ...(entry.address ? [entry.address] : []),
      ...addresses(entry.group as unknown as AddressObject[] | undefined),
    ]);
  return [];
}

/** Every non-multipart part, decoded, with a returned message/rfc822 kept whole as one part. */
async function leafParts(raw: Buffer): Promise<InboundPart[]> {
  const splitter = new Splitter({ ignoreEmbedded: true });
  const nodes: Array<{ contentType: string; decoder: Transform; chunks: Buffer[] }> = [];
  let current: (typeof nodes)[number] | undefined;
  for await (const chunk of Readable.from([raw]).pipe(splitter) as AsyncIterable<SplitterChunk>) {
    if (chunk.type === 'node') {
      current = chunk.multipart
        ? undefined
        : { contentType: (chunk.contentType || 'text/plain').toLowerCase(), decoder: chunk.getDecoder(), chunks: [] };
      if (current) nodes.push(current);
    } else if (chunk.type === 'body' && current) {
      current.chunks.push(chunk.value);
    }
  }
  return Promise.all(nodes.map(async (node) => ({ contentType: node.contentType, text: await decode(node) })));
}

async function decode(node: { decoder: Transform; chunks: Buffer[] }): Promise<string> {
  const decoded: Buffer[] = [];
  for await (const chunk of Readable.from(node.chunks).pipe(node.decoder)) decoded.push(chunk as Buffer);
  return Buffer.concat(decoded).toString('utf8');
}
