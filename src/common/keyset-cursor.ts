import { BadRequestException } from '@nestjs/common';

/**
 * The position after the last row of a page, ordered by (a timestamp, id). The time travels as
 * PostgreSQL printed it, to the microsecond (see KEYSET_TIME): a JavaScript Date keeps
 * milliseconds only, and would skip or repeat rows made in the same millisecond at a page
 * boundary.
 */
export interface KeysetCursor {
  at: string;
  id: string;
}

/** The SQL that prints a timestamptz column the way a cursor carries it. */
export const keysetTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** A 400 for anything but a cursor this service handed out. */
export function decodeKeysetCursor(value: string): KeysetCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [at, id] = decoded as unknown[];
      if (typeof at === 'string' && TIME.test(at) && typeof id === 'string' && UUID.test(id)) return { at, id };
    }
  } catch {
    // Falls through to the one error below.
  }
  throw new BadRequestException('cursor is not valid: pass back the nextCursor of the previous page unchanged');
}
