import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { createLogger, prepare } from './bootstrap.js';
import { WORKER_ROLE } from './config/process-role.js';

/** Worker entry: the same modules without an HTTP listener, so any number of these can share the queues. */
async function main(): Promise<void> {
  const config = await prepare();
  const logger = createLogger(config);
  const app = await NestFactory.createApplicationContext(AppModule.register(config, WORKER_ROLE), { logger });
  app.enableShutdownHooks();
  logger.log('Tidings worker started', 'Worker');
}

void main();
