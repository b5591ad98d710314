import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

/** The one set of DataSource options, used by the app (TypeOrmModule), the start-up migrator and the CLI. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    // The schema is changed by reviewed migrations only, never from the entities.
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    // A connection attempt to an unreachable host gives up after 2 s: requests answer 503 instead of hanging.
    extra: { max: 20, application_name: 'tidings', connectionTimeoutMillis: 2_000 },
  };
}
