import { Module } from '@nestjs/common';
import { AdminQueuesController } from './admin-queues.controller.js';
import { QueueRegistry } from './queue-registry.js';

@Module({
  controllers: [AdminQueuesController],
  providers: [QueueRegistry],
  exports: [QueueRegistry],
})
export class QueuesModule {}
