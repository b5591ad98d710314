import { BadRequestException } from '@nestjs/common';

/**
 * The position after the last post of a page, in (published_at DESC, id DESC) order. The time
 * travels as PostgreSQL printed it: a JavaScript Date would lose the microseconds and skip or
 * repeat posts at a page boundary.
 */
export interface PostCursor {
  publishedAt: string;
  id: string;
}

export function encodeCursor(cursor: PostCursor): string {
  return Buffer.from(JSON.stringify([cursor.publishedAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): PostCursor {
  try {
    const [publishedAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof publishedAt === 'string' && !Number.isNaN(Date.parse(publishedAt)) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
      return { publishedAt, id };
    }
  } catch {
    // Falls through to the one error below.
  }
  throw new BadRequestException('cursor is not valid: pass back the nextCursor of the previous page unchanged');
}
