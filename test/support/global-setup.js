import { randomBytes } from 'node:crypto';

/**
 * Names this run: the first test database of the run migrates a template database under this
 * name (test/support/test-database.ts), and every later one is a copy of it. Plain JavaScript,
 * because Jest loads global setup files without the TypeScript transform for their imports.
 */
export default function globalSetup() {
  process.env.TIDINGS_TEST_RUN = randomBytes(4).toString('hex');
}
