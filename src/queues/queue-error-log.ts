import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { QueueRegistry } from './queue-registry.js';

const QUIET_MS = 30_000;

/**
 * Without a listener, BullMQ prints every connection error of a queue with its stack, several
 * times a second while Redis is down. One line per queue at most every 30 s says the same.
 */
@Injectable()
export class QueueErrorLog implements OnApplicationBootstrap {
  private readonly logger = new Logger(QueueErrorLog.name);
  private readonly lastLogged = new Map<string, number>();

  constructor(private readonly registry: QueueRegistry) {}

  onApplicationBootstrap(): void {
    for (const queue of this.registry.queues()) {
      queue.on('error', (error: Error) => {
        const now = Date.now();
        if (now - (this.lastLogged.get(queue.name) ?? 0) < QUIET_MS) return;
        this.lastLogged.set(queue.name, now);
        this.logger.warn(`queue ${queue.name}: ${error.message}`);
      });
    }
  }
}
