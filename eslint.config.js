// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import boundaries from 'eslint-plugin-boundaries';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/ (STYLE.md, "Direction"): each layer may import itself and the layers listed
 * for it, nothing else; test/lint-layers.e2e-spec.ts proves a wrong-way import fails.
 */
const layers = {
  config: [],
  common: ['config'],
  mail: ['config', 'common'],
  rendering: ['config', 'common'],
  subscribers: ['config', 'common', 'mail', 'rendering'],
  posts: ['config', 'common', 'mail', 'rendering'],
  // Operators, their tokens and the audit log: common/'s admin guard reaches them through abstract classes.
  operators: ['config', 'common'],
  digests: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts'],
  delivery: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests'],
  // Provider events coming back: above delivery, whose deliveries they update and whose sends they pause.
  deliverability: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery'],
  admin: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery', 'deliverability'],
  // The subscriber's manage page: like admin/, it combines features (the data export reads deliveries).
  account: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery'],
  queues: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery'],
  health: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery'],
  // /metrics reads the queue counts too, so it sits one step above queues.
  metrics: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery', 'queues'],
  // The HTTP set-up of the web process (error pages, OpenAPI, body parsers): above every feature it serves.
  http: ['config', 'common', 'mail', 'rendering', 'subscribers', 'posts', 'digests', 'delivery'],
  // The operator console: pages over admin/'s services and operators/' sessions, at the top next to admin/.
  console: [
    'config',
    'common',
    'mail',
    'rendering',
    'subscribers',
    'posts',
    'operators',
    'digests',
    'delivery',
    'deliverability',
    'admin',
  ],
};

// Composition roots (src/*.ts entry files, src/database/ which lists every entity and migration) and the
// code around the product (tests, benchmarks, the demo) may import anything; migrations import nothing from src.
const free = ['database', 'test', 'bench', 'demo'];

// Files rather than folders: the entry files at the top of src/, and unit specs that sit beside the code.
const files = [
  { category: 'entry', pattern: 'src/*.ts' },
  { category: 'spec', pattern: 'src/**/*.spec.ts' },
];

const elements = [
  ...Object.keys(layers).map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
  { type: 'database', pattern: 'src/database', partialMatch: false },
  { type: 'migrations', pattern: 'migrations', partialMatch: false },
  { type: 'test', pattern: 'test', partialMatch: false },
  { type: 'bench', pattern: 'bench', partialMatch: false },
  { type: 'demo', pattern: 'demo', partialMatch: false },
];

const policies = [
  ...Object.entries(layers).map(([type, below]) => ({
    from: { element: { type } },
    allow: { to: { element: { types: below } } },
  })),
  { from: { element: { types: free } }, allow: { to: { module: { origin: 'local' } } } },
  { from: { file: { categories: 'entry' } }, allow: { to: { module: { origin: 'local' } } } },
  // A unit spec follows its feature's layer, and may also use the shared test fixtures.
  { from: { file: { categories: 'spec' } }, allow: { to: { element: { type: 'test' } } } },
];

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', 'test-artifacts/', 'outbox/']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  eslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // What pages load in the browser (the bot check's loader).
    files: ['templates/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, boundaries },
    settings: {
      // import-x (no-cycle) and boundaries each resolve `./x.js` to `./x.ts` through the TypeScript resolver.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { typescript: { project: './tsconfig.json' } }, // the key boundaries reads
      'boundaries/elements': elements,
      'boundaries/files': files,
      'boundaries/include': ['src/**/*.ts', 'migrations/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'demo/**/*.ts'],
    },
    rules: {
      // `const { secret, ...rest } = row` is how this code base leaves a field out of an object.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // An `async` method that implements a Promise-returning interface (MailSender.close, test fakes) need not await.
      '@typescript-eslint/require-await': 'off',
      // Input checks match control characters on purpose (header injection, NUL in PostgreSQL text).
      'no-control-regex': 'off',
      'import-x/no-cycle': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkUnknownLocals: true,
          policies,
        },
      ],
      // A file in a folder of src/ that the layering does not name fails: a new feature takes its place above first.
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    // supertest's `body`, mailparser's results and raw SQL rows are `any` in tests; the assertions check their shape.
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `expect(repository.approve).toHaveBeenCalled()` reads a jest.fn() off a mock; it is never called unbound.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
