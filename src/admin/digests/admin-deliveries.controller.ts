import { BadRequestException, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminController } from '../../common/admin-controller.decorator.js';
import { DeliveryControlService } from '../../delivery/delivery-control.service.js';
import { AdminDigestsService } from './admin-digests.service.js';
import { ControlResultDto, DeliveryPageDto } from './dto/delivery.dto.js';
import { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto.js';

const DigestId = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the digest id must be a UUID') });

/** A digest's send, subscriber by subscriber, and the operator's controls over it. */
@ApiTags('admin: digests')
@AdminController('digests', { changes: 'editor' })
export class AdminDeliveriesController {
  constructor(
    private readonly admin: AdminDigestsService,
    private readonly control: DeliveryControlService,
  ) {}

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageDto })
  list(@Param('id', DigestId) id: string, @Query() query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    return this.admin.deliveryPage(id, query);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: ControlResultDto })
  pause(@Param('id', DigestId) id: string): Promise<ControlResultDto> {
    return this.control.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: ControlResultDto })
  resume(@Param('id', DigestId) id: string): Promise<ControlResultDto> {
    return this.control.resume(id);
  }

  @Post(':id/retry-failed')
  @HttpCode(200)
  @ApiOkResponse({ type: ControlResultDto })
  retryFailed(@Param('id', DigestId) id: string): Promise<ControlResultDto> {
    return this.control.retryFailed(id);
  }
}
