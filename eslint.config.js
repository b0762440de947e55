import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The boundaries of the house (docs/architecture in README "How it is built"). ESLint applies only the
 * last no-restricted-imports that matches a file, so each folder's rule repeats the ones above it.
 */
const DRIVERS = {
  paths: [
    { name: 'pg', message: 'PostgreSQL is reached only through src/server/adapters/postgres.' },
    { name: 'ioredis', message: 'Redis is reached only through src/server/adapters/redis (see redis-connection.ts).' },
    { name: '@socket.io/redis-adapter', message: 'The Redis fan-out is wired in src/server/adapters/redis/redis-connection.ts.' },
    { name: 'nodemailer', message: 'Email goes out only through src/server/adapters/mail (the MailTransport port).' },
  ],
  patterns: [{ group: ['@electric-sql/pglite', '@electric-sql/pglite/*'], message: 'PGlite is opened only in src/server/adapters/pglite.' }],
};

const restrict = (...rules) => ['error', { paths: rules.flatMap((r) => r.paths ?? []), patterns: rules.flatMap((r) => r.patterns ?? []) }];

const SHARED_STAYS_SHARED = {
  patterns: [{ regex: '(^|/)(server|web)/', message: 'src/shared is the contract of server and web: it imports neither.' }],
};
// Modules plug into the platform (README "How it is built"): it gets what it needs as parameters.
const PLATFORM_IMPORTS_NO_MODULE = {
  patterns: [{ regex: '(^|/)modules/', message: 'src/server/platform serves every module and imports none: take what it needs as a parameter (a port).' }],
};
// Features meet only in shared places: components/ and lib/ (used by all), pages/ and app/ (which compose them).
const NO_OTHER_FEATURE = {
  patterns: [
    { regex: '^\\.\\./(?!\\.\\./)[^/]+/', message: 'Another feature: move what both need to src/web/components or src/web/lib.' },
    { regex: '(^|/)(features|pages)/', message: 'A feature does not import another feature or a page: share through src/web/components or src/web/lib.' },
  ],
};
const SHARED_WEB_IMPORTS_NO_FEATURE = {
  patterns: [{ regex: '(^|/)(features|pages|app)/', message: 'components/ and lib/ are used by every feature, so they import none (nor pages or app).' }],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'scratch/', 'test-artifacts/', 'bench-results/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['src/**'], ignores: ['src/server/adapters/**'], rules: { 'no-restricted-imports': restrict(DRIVERS) } },
  { files: ['src/server/platform/**'], rules: { 'no-restricted-imports': restrict(DRIVERS, PLATFORM_IMPORTS_NO_MODULE) } },
  { files: ['src/shared/**'], rules: { 'no-restricted-imports': restrict(DRIVERS, SHARED_STAYS_SHARED) } },
  { files: ['src/web/features/**'], rules: { 'no-restricted-imports': restrict(DRIVERS, NO_OTHER_FEATURE) } },
  { files: ['src/web/components/**', 'src/web/lib/**'], rules: { 'no-restricted-imports': restrict(DRIVERS, SHARED_WEB_IMPORTS_NO_FEATURE) } },
  {
    // Tests and tools read arbitrary JSON responses.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
