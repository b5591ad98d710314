import 'reflect-metadata';
import { ConsoleLogger, Logger, type LogLevel as NestLogLevel } from '@nestjs/common';
import type { AppConfig, LogLevel } from './config/app-config.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createDatabaseIfMissing, runMigrationsLocked } from './database/database-setup.js';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Structured (JSON) or readable logs, from LOG_FORMAT and LOG_LEVEL. */
export function createLogger(config: AppConfig): ConsoleLogger {
  const logLevels: NestLogLevel[] = ['fatal', ...LEVELS.slice(0, LEVELS.indexOf(config.log.level) + 1)];
  return new ConsoleLogger({ json: config.log.format === 'json', logLevels, prefix: 'tidings' });
}

/**
 * Validates the configuration, creates the database if needed and applies pending migrations.
 * Any failure stops the start with one line on stderr, never a stack trace.
 */
export async function prepare(source: Record<string, string | undefined> = process.env): Promise<AppConfig> {
  let config: AppConfig;
  try {
    config = loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) exit(`configuration error: ${error.message}`);
    throw error;
  }
  // Start-up steps log in the configured format too, before Nest's own logger exists.
  Logger.overrideLogger(createLogger(config));
  try {
    if (config.database.create) await createDatabaseIfMissing(config.database.url);
    if (config.database.runMigrations) await runMigrationsLocked(config.database.url);
  } catch (error) {
    exit(`DATABASE_URL=(hidden): cannot prepare the database: ${(error as Error).message}`);
  }
  return config;
}

function exit(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}
