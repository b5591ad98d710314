import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { deleteKeysUnderPrefix } from '../../src/common/redis/prefix-keys.js';
import { createLogger } from '../../src/bootstrap.js';
import { configureApp } from '../../src/http/configure-app.js';
import { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ProcessRole } from '../../src/config/process-role.js';
import { TestDatabase } from './test-database.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Reuse a database (several app instances on one database); a new one is made otherwise. */
  database?: TestDatabase;
  /** Reuse a Redis prefix (several instances sharing queues). */
  redisPrefix?: string;
  /** What the process runs: queue workers (default on) and crons (default off). */
  role?: Partial<ProcessRole>;
  /** Providers replaced for the test (e.g. an SnsUrlPolicy that allows a loopback stand-in). */
  overrides?: Array<{ provide: abstract new (...args: never[]) => unknown; useValue: unknown }>;
}

/**
 * The real AppModule on a free port, with its own database (real migrations) and its own Redis
 * key prefix, configured exactly as main.ts configures it.
 */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly config: AppConfig,
    readonly database: TestDatabase,
    private readonly ownsDatabase: boolean,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<TestApp> {
    const database = options.database ?? (await TestDatabase.create());
    const port = await freePort();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      REDIS_URL,
      REDIS_PREFIX: options.redisPrefix ?? `tt${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'text',
      OUTBOX_DIR: 'test-artifacts/outbox',
      SUBSCRIBE_LIMIT_PER_IP_PER_MINUTE: '100000',
      SUBSCRIBE_LIMIT_PER_ADDRESS_PER_HOUR: '1000',
      SUBSCRIBE_LIMIT_UNSOLVED_PER_IP_PER_HOUR: '100000',
      // Every test feed is served from 127.0.0.1; the specs of the address guard turn this off.
      FEED_ALLOW_PRIVATE: 'true',
      // Never the real blog (the schema's default): a test that polls without its own feed reaches a closed
      // loopback port, not the network.
      FEED_URLS: 'http://127.0.0.1:9/feed.xml',
      ...options.env,
    });
    const role = { workers: true, schedulers: false, ...options.role };
    const builder = Test.createTestingModule({ imports: [AppModule.register(config, role)] });
    for (const { provide, useValue } of options.overrides ?? []) builder.overrideProvider(provide).useValue(useValue);
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: createLogger(config) });
    configureApp(app);
    await app.listen(port, '127.0.0.1');
    return new TestApp(app, config, database, !options.database);
  }

  get url(): string {
    return this.config.http.publicUrl;
  }

  get http() {
    return this.app.getHttpServer();
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  get<T>(token: abstract new (...args: never[]) => T): T {
    return this.app.get(token as never);
  }

  async close(): Promise<void> {
    await this.app.close();
    await deleteRedisKeys(this.config.redis.prefix);
    if (this.ownsDatabase) await this.database.drop();
  }
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    await deleteKeysUnderPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
