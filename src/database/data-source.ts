import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import { dataSourceOptions } from './data-source-options.js';

/** The DataSource for the TypeORM CLI (`npm run migration:run`, `migration:generate`). */
export default new DataSource(dataSourceOptions(loadConfig(process.env).database.url));
