// Lint enforces the data-flow boundaries described in docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_LIBS = ['knex', 'mysql2', 'mysql2/*', 'bullmq', 'ioredis', 'pino', 'node:fs', 'fs', 'node:http', 'http', 'node:https', 'https', 'node:net', 'net', 'undici'];
const HTTP_LIBS = ['node:http', 'http', 'node:https', 'https', 'undici'];
const restrict = (names, message) => names.map((name) => ({ name, message }));
const restrictPatterns = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', Buffer: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Everything outside shared/db: no knex/mysql2. Outside shared/satusehat (and the simulator, and the
  // alert webhook in shared/webhook, the one other outbound HTTP client): no HTTP, no fetch.
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['shared/db/**', 'migrations/**', 'test/**', 'bench/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: restrict(['knex', 'mysql2', 'mysql2/promise'], 'Only shared/db talks SQL.') }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['shared/satusehat/**', 'shared/webhook/**', 'simulator/**', 'test/**', 'bench/**', 'daemon/health/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Only shared/satusehat talks HTTP.' }],
    },
  },
  {
    files: ['shared/**/*.ts', 'daemon/**/*.ts', 'tui/**/*.ts', 'tui/**/*.tsx'],
    ignores: ['shared/satusehat/**', 'shared/webhook/**', 'shared/db/**', 'daemon/health/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...restrict(HTTP_LIBS, 'Only shared/satusehat talks HTTP.'), ...restrict(['knex', 'mysql2', 'mysql2/promise'], 'Only shared/db talks SQL.')] }],
    },
  },
  // Mappers and the type registry are pure: no I/O library, no clock.
  {
    files: ['shared/fhir/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: restrict(IO_LIBS, 'shared/fhir is pure: no I/O.'), patterns: [restrictPatterns(['**/db/**', '**/satusehat/**', '**/queue/**', '**/log/**'], 'shared/fhir is pure: no I/O.')] }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Mappers do not read the clock: take `now` from the context.' }, { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Mappers do not read the clock: take `now` from the context.' }],
    },
  },
  // The TUI is a client of shared/services: never SATUSEHAT, never the daemon.
  {
    files: ['tui/**/*.ts', 'tui/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...restrict(IO_LIBS.filter((n) => n !== 'pino'), 'The TUI goes through shared/services.')], patterns: [restrictPatterns(['**/shared/satusehat/**', '**/daemon/**', '**/shared/db/**'], 'The TUI goes through shared/services.')] }],
    },
  },
);
