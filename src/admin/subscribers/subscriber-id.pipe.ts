import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** `:id` of /admin/subscribers/:id: anything but a UUID is a 400, before any query. */
export const SubscriberId = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('the subscriber id must be a UUID'),
});
