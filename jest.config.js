/**
 * Jest runs in its native ESM mode because NestJS 12 and several dependencies ship as ESM only.
 * SWC strips the types and keeps legacy decorators with their metadata, as tsc does for the build.
 */
export default {
  // Holds back what the app prints and shows it only for a failing test.
  testEnvironment: '<rootDir>/test/support/quiet-environment.ts',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 60000,
  // One migrated template database per run; each test database is a copy of it.
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};
