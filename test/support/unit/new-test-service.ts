import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Type } from '@nestjs/common';
import { PARAMTYPES_METADATA, SELF_DECLARED_DEPS_METADATA } from '@nestjs/common/constants.js';
import { Queue } from 'bullmq';
import { QueueName } from '../../../src/common/queue.constants.js';
import { AppConfig } from '../../../src/config/app-config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { MailTransport } from '../../../src/mail/mail-transport.js';
import { automock, type MockableClass } from './automock.js';

/** Collaborators whose interface is abstract, so the prototype walk of `automock` cannot see it. */
const handMade = new Map<unknown, () => object>([
  [
    MailTransport,
    (): jest.Mocked<MailTransport> => ({
      ...automock(MailTransport, ['send', 'classify', 'close']),
      name: 'mock',
    }),
  ],
]);

const queueNames = new Map<unknown, QueueName>(Object.values(QueueName).map((name) => [getQueueToken(name), name]));

/** What `newTestService` built around the service: one mock per constructor parameter. */
export class TestMocks {
  constructor(
    private readonly byToken: Map<unknown, unknown>,
    /** The real configuration the service was given (`loadConfig` of the test's env). */
    readonly config: AppConfig,
  ) {}

  /** The mock handed to the service for a parameter of this class. */
  get<T extends object>(Class: MockableClass<T>): jest.Mocked<T> {
    return this.found(Class, Class.name);
  }

  /** The mock handed to the service for `@InjectQueue(name)`. */
  queue(name: QueueName): jest.Mocked<Queue> {
    return this.found(getQueueToken(name), `queue ${name}`);
  }

  private found<T>(token: unknown, label: string): T {
    if (!this.byToken.has(token)) throw new Error(`the service under test takes no ${label}`);
    return this.byToken.get(token) as T;
  }
}

export interface TestServiceOptions {
  /** Environment variables for the real `AppConfig` the service gets (defaults otherwise). */
  env?: Record<string, string>;
}

/**
 * Builds `Service` the way Nest would, from its constructor's parameter types, but with a strict
 * jest mock for every collaborator (Immich's `newTestService`): repositories, queues, transports
 * and other services are all mocks, so a unit spec decides in milliseconds and never reaches
 * PostgreSQL, Redis or SMTP. Only the configuration is real, being plain data.
 */
export function newTestService<T>(Service: Type<T>, options: TestServiceOptions = {}): { sut: T; mocks: TestMocks } {
  const types = (Reflect.getMetadata(PARAMTYPES_METADATA, Service) ?? []) as unknown[];
  const declared = (Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, Service) ?? []) as Array<{
    index: number;
    param: unknown;
  }>;
  const tokens = types.map((type, index) => declared.find((d) => d.index === index)?.param ?? type);
  const config = loadConfig(options.env ?? {});
  const byToken = new Map<unknown, unknown>();
  const args = tokens.map((token, index) => {
    if (!byToken.has(token)) byToken.set(token, mockFor(token, config, `${Service.name} parameter ${index}`));
    return byToken.get(token);
  });
  return { sut: new Service(...args), mocks: new TestMocks(byToken, config) };
}

function mockFor(token: unknown, config: AppConfig, where: string): unknown {
  if (token === AppConfig) return config;
  const make = handMade.get(token);
  if (make) return make();
  if (queueNames.has(token)) return automock(Queue);
  if (typeof token === 'function' && token !== Object && token.prototype) {
    return automock(token as MockableClass<object>);
  }
  throw new Error(`${where} (${String(token)}) has no class to mock; add it to test/support/unit/new-test-service.ts`);
}
