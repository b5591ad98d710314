import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ConfirmationMailQuota } from '../subscribers/confirmation-mail-quota.js';

/**
 * Up either way: a reached cap is the form under attack (or a launch), which the operator should
 * see, not a reason for a load balancer to take the instance out.
 */
@Injectable()
export class ConfirmationCapHealthIndicator {
  constructor(
    private readonly quota: ConfirmationMailQuota,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const reached = await this.quota.globalCapReached();
    return this.health
      .check(key)
      .up(
        reached
          ? { warning: 'the hourly cap on confirmation mails was reached: confirmation mails are held back' }
          : {},
      );
  }
}
