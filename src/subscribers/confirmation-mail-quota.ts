import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { MetricsRegistry } from '../common/metrics-registry.js';
import { REDIS } from '../common/redis/redis.module.js';
import { AppConfig } from '../config/app-config.js';
import { mailboxDomain } from './mailbox-key.js';

export type QuotaScope = 'domain' | 'global';

/**
 * Hourly caps on confirmation mails per recipient domain and in all, counted in Redis across
 * every instance, so the form cannot be turned into a mail cannon against one provider or
 * against our own sending reputation. The per-mailbox daily cap is in the subscribe statement.
 */
@Injectable()
export class ConfirmationMailQuota {
  private readonly logger = new Logger(ConfirmationMailQuota.name);
  private readonly perDomain: RateLimiterRedis;
  private readonly global: RateLimiterRedis;
  private readonly capsReached: Counter<'scope'>;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig, { registry }: MetricsRegistry) {
    const prefix = `${config.redis.prefix}:rate`;
    const { subscriptions } = config;
    this.perDomain = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:confirmation-domain`,
      points: subscriptions.confirmationMailsPerDomainPerHour,
      duration: 3600,
    });
    this.global = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:confirmation-all`,
      points: subscriptions.confirmationMailsPerHour,
      duration: 3600,
    });
    this.capsReached = new Counter({
      name: 'tidings_confirmation_mail_caps_reached_total',
      help: 'Confirmation mails not sent because an hourly cap (per domain, or global) was reached',
      labelNames: ['scope'],
      registers: [registry],
    });
  }

  /** Takes one mail from both caps; returns the cap that refused it, if any. */
  async take(email: string): Promise<QuotaScope | undefined> {
    // The global cap first: a mail refused by it must not also use up its domain's share.
    if (!(await this.consume(this.global, 'all'))) return this.refused('global');
    if (!(await this.consume(this.perDomain, mailboxDomain(email)))) return this.refused('domain');
    return undefined;
  }

  /** Whether the global cap refused a mail within the last hour, for /health. */
  async globalCapReached(): Promise<boolean> {
    const state = await this.global.get('all');
    return !!state && state.consumedPoints > this.global.points;
  }

  private async consume(limiter: RateLimiterRedis, key: string): Promise<boolean> {
    try {
      await limiter.consume(key);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }

  private refused(scope: QuotaScope): QuotaScope {
    this.capsReached.inc({ scope });
    if (scope === 'global')
      this.logger.warn('hourly cap on confirmation mails reached: confirmation mails are held back');
    return scope;
  }
}
