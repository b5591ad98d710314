import { Module } from '@nestjs/common';
import { AdminQueuesController } from './admin-queues.controller.js';
import { QueueErrorLog } from './queue-error-log.js';
import { QueueRegistry } from './queue-registry.js';

@Module({
  controllers: [AdminQueuesController],
  providers: [QueueRegistry, QueueErrorLog],
  exports: [QueueRegistry],
})
export class QueuesModule {}
