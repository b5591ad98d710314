import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type SubscriberErasureListener, SubscriberErasureService } from '../subscribers/subscriber-erasure.service.js';
import { DeliveriesRepository } from './deliveries.repository.js';

/** An erased subscriber's deliveries stay, anonymous, for the counts; their stored SMTP replies lose any address. */
@Injectable()
export class SubscriberErasureListenerForDelivery implements SubscriberErasureListener, OnModuleInit {
  constructor(
    private readonly erasure: SubscriberErasureService,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  onModuleInit(): void {
    this.erasure.register(this);
  }

  async subscriberErasing(manager: EntityManager, subscriberId: string): Promise<void> {
    await this.deliveries.scrubErrors(manager, subscriberId);
  }
}
