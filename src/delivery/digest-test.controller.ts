import { BadRequestException, Body, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { AdminController } from '../admin/admin-controller.decorator.js';
import { FormOrJsonBodyGuard } from '../common/require-content-type.guard.js';
import { type TestCopySent, DigestTestSender } from './digest-test-sender.js';
import { TestSendDto } from './dto/test-send.dto.js';

const DigestId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the digest id must be a UUID') });

/** POST /admin/digests/:id/test: one copy to an operator, as a subscriber would get it. */
@AdminController('digests')
export class DigestTestController {
  constructor(private readonly sender: DigestTestSender) {}

  @Post(':id/test')
  @HttpCode(200)
  @UseGuards(FormOrJsonBodyGuard)
  sendTest(@Param('id', DigestId) id: string, @Body() body: TestSendDto): Promise<TestCopySent> {
    return this.sender.send(id, body.to);
  }
}
