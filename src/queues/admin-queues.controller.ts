import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AdminController } from '../common/admin-controller.decorator.js';
import { QueueRegistry } from './queue-registry.js';

export class QueueCountsDto {
  @ApiProperty({ example: 'transactional-mail' })
  name: string;

  @ApiProperty({ description: 'Ready to run' })
  waiting: number;

  @ApiProperty({ description: 'Being processed' })
  active: number;

  @ApiProperty({ description: 'Waiting for a retry back-off or a set time' })
  delayed: number;

  @ApiProperty({ description: 'Gave up after the last attempt (kept for a week at most)' })
  failed: number;

  @ApiProperty({ description: 'Done (the last 1,000 or 24 hours are kept)' })
  completed: number;

  @ApiProperty({ description: 'Waiting with a priority' })
  prioritized: number;

  @ApiProperty({ description: 'Paused: its waiting jobs are held until it is resumed' })
  paused: boolean;
}

export class QueuesDto {
  @ApiProperty({ type: () => [QueueCountsDto] })
  queues: QueueCountsDto[];
}

/** /admin/queues: is mail moving? */
@ApiTags('admin: queues')
@AdminController('queues')
export class AdminQueuesController {
  constructor(private readonly registry: QueueRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Job counts of every queue' })
  @ApiOkResponse({ type: QueuesDto })
  async list(): Promise<QueuesDto> {
    const all = await this.registry.counts();
    return { queues: all.map(({ name, counts, paused }) => ({ name, ...counts, paused })) };
  }
}
