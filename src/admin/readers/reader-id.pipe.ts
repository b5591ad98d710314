import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** `:id` of /admin/readers/:id: anything but a UUID is a 400, before any query. */
export const ReaderId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the reader id must be a UUID') });
