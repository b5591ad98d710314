import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** A digest id in a path: a UUID, or a 400 that says so. */
export const DigestId = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('the digest id must be a UUID'),
});
