import { BadRequestException } from '@nestjs/common';

/**
 * The position after the last subscriber of a page, in (created_at DESC, id DESC) order. The time
 * travels as PostgreSQL printed it, to the microsecond: a JavaScript Date keeps milliseconds
 * only, and would skip or repeat subscribers created in the same millisecond at a page boundary.
 */
export interface SubscriberCursor {
  createdAt: string;
  id: string;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeSubscriberCursor(cursor: SubscriberCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeSubscriberCursor(value: string): SubscriberCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [createdAt, id] = decoded as unknown[];
      if (typeof createdAt === 'string' && TIME.test(createdAt) && typeof id === 'string' && UUID.test(id)) return { createdAt, id };
    }
  } catch {
    // Falls through to the one error below.
  }
  throw new BadRequestException('cursor is not valid: pass back the nextCursor of the previous page unchanged');
}
