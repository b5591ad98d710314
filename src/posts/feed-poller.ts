import { Injectable } from '@nestjs/common';

/** Reads every configured feed and upserts its posts. (Stub: issue 3 fills this in.) */
@Injectable()
export class FeedPoller {
  async pollAll(): Promise<void> {}
}
