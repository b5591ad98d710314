import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ProcessRole } from './process-role.js';
import { AppConfig } from './app-config.js';

/** Makes the one validated `AppConfig`, and what this process does, injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: ProcessRole, useValue: role },
      ],
      exports: [AppConfig, ProcessRole],
    };
  }
}
